package webhook

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/auditbot/auditbot/webhook/githubapi"
)

// Issue 9: unsigned bodies must not cost memory, and what an unsigned
// sender writes must not reach the log.

// bareServer is a server with fake dependencies whose log goes to logs.
func bareServer(t *testing.T, cfg Config, logs io.Writer) *Server {
	t.Helper()
	cfg.WebhookSecret = testSecret
	cfg.Token = "body-token"
	cfg.BaseURL = "http://127.0.0.1:1/"
	cfg.Workers, cfg.QueueSize = 1, 4
	cfg.Retry = githubapi.RetryPolicy{MaxAttempts: 1}
	cfg.DataDir = t.TempDir()
	seedSQLite(t, cfg.DataDir)
	if logs == nil {
		logs = io.Discard
	}
	s, err := NewServer(cfg, Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(t.Context()) }) //nolint:errcheck
	return s
}

// countingReader records whether the handler read the body at all.
type countingReader struct {
	r    io.Reader
	read atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// TestRefusedBeforeReading: a delivery without a well-formed signature,
// or whose Content-Length is over the cap, is refused before a byte of
// its body is read.
func TestRefusedBeforeReading(t *testing.T) {
	s := bareServer(t, Config{MaxBodyBytes: 1 << 20}, nil)
	for _, c := range []struct {
		name   string
		sig    string
		length int64
		want   int
	}{
		{"no signature", "", 1000, http.StatusUnauthorized},
		{"not sha256", "sha1=" + strings.Repeat("0", 40), 1000, http.StatusUnauthorized},
		{"short signature", "sha256=abc", 1000, http.StatusUnauthorized},
		{"no signature, no length", "", -1, http.StatusUnauthorized},
		{"length over the cap", "sha256=" + strings.Repeat("0", 64), 1<<20 + 1, http.StatusRequestEntityTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := &countingReader{r: io.LimitReader(zeros{}, 1<<20)}
			req := httptest.NewRequest(http.MethodPost, "/webhook", body)
			req.ContentLength = c.length
			req.Header.Set(headerEvent, "pull_request")
			req.Header.Set(headerDelivery, "d-1")
			if c.sig != "" {
				req.Header.Set(headerSignature, c.sig)
			}
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			if w.Code != c.want {
				t.Errorf("status %d, want %d", w.Code, c.want)
			}
			if n := body.read.Load(); n > 0 {
				t.Errorf("%d bytes of the body were read before refusing it", n)
			}
		})
	}
}

// TestBodyBudget: past MaxBodyBytesInFlight bytes being read at once, a
// delivery is answered 503 with Retry-After at once; when the reading
// ends, the budget is free again.
func TestBodyBudget(t *testing.T) {
	s := bareServer(t, Config{MaxBodyBytes: 1000, MaxBodyBytesInFlight: 1500}, nil)
	h := s.Handler()
	badSig := "sha256=" + strings.Repeat("0", 64)
	// A slow sender holds 1000 bytes of the budget while it sends.
	pr, pw := io.Pipe()
	slow := httptest.NewRequest(http.MethodPost, "/webhook", pr)
	slow.ContentLength = 1000
	slow.Header.Set(headerSignature, badSig)
	var wg sync.WaitGroup
	slowCode := 0
	wg.Go(func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, slow)
		slowCode = w.Code
	})
	if _, err := pw.Write(make([]byte, 10)); err != nil { // the read has begun
		t.Fatal(err)
	}
	send := func(length int) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(make([]byte, length)))
		req.Header.Set(headerSignature, badSig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := send(600); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("over the budget: status %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	if w := send(400); w.Code != http.StatusUnauthorized {
		t.Errorf("within the budget: status %d, want 401 (read, then refused for its signature)", w.Code)
	}
	pw.Write(make([]byte, 990)) //nolint:errcheck
	pw.Close()
	wg.Wait()
	if slowCode != http.StatusUnauthorized {
		t.Errorf("slow delivery: status %d, want 401", slowCode)
	}
	if w := send(1000); w.Code != http.StatusUnauthorized {
		t.Errorf("after the slow read: status %d, want 401 (the budget is free again)", w.Code)
	}
}

// TestHeadersNotLoggedUnsigned: a 900 KB X-GitHub-Event was written to
// the log as one line. Before the signature is checked nothing the sender
// wrote is logged; after it, header values are cut.
func TestHeadersNotLoggedUnsigned(t *testing.T) {
	var logs syncBuffer
	s := bareServer(t, Config{}, &logs)
	huge := strings.Repeat("E", 900<<10)
	body := []byte(`{"zen":"x"}`)
	for _, sig := range []string{"", "sha256=" + strings.Repeat("0", 64), sign(testSecret, body)} {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		req.Header.Set(headerEvent, huge)
		req.Header.Set(headerDelivery, "D"+huge)
		if sig != "" {
			req.Header.Set(headerSignature, sig)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
	}
	out := logs.String()
	if strings.Contains(out, strings.Repeat("E", 2*maxLoggedHeader)) {
		t.Errorf("a header value reached the log whole (%d bytes of log)", len(out))
	}
	// The delivery lines (the job queue logs its start too).
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(l, " msg=delivery ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want one per delivery:\n%.2000s", len(lines), out)
	}
	for i, l := range lines[:2] {
		if strings.Contains(l, "EEE") {
			t.Errorf("unsigned delivery %d: a header value was logged: %.300s", i, l)
		}
	}
	if !strings.Contains(lines[2], "EEE") || len(lines[2]) > 2000 {
		t.Errorf("signed delivery: want its header logged, cut: %.300s (%d bytes)", lines[2], len(lines[2]))
	}
}

// TestLargeBufferNotPooled: a buffer grown over maxPooledBody goes to the
// garbage collector, not back to the pool.
func TestLargeBufferNotPooled(t *testing.T) {
	s := bareServer(t, Config{}, nil)
	big := make([]byte, maxPooledBody+1)
	s.releaseBody(&big)
	for range 10 {
		if b := s.bodies.Get().(*[]byte); cap(*b) > maxPooledBody {
			t.Fatalf("the pool lent a %d-byte buffer", cap(*b))
		}
	}
}

// TestLogValue cuts long values on a rune boundary and says how long they
// were.
func TestLogValue(t *testing.T) {
	if got := logValue("pull_request"); got != "pull_request" {
		t.Errorf("short value changed: %q", got)
	}
	got := logValue(strings.Repeat("ñ", 300))
	if len(got) > maxLoggedHeader+30 || !strings.HasSuffix(got, "(600 bytes)") || !strings.HasPrefix(got, "ññ") {
		t.Errorf("logValue = %q", got)
	}
}

// TestBlankSecretRefused: a whitespace secret is no secret.
func TestBlankSecretRefused(t *testing.T) {
	for _, secret := range []string{"", " ", "\t\r\n "} {
		_, err := NewServer(Config{WebhookSecret: secret, Token: "t"}, Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}, nil)
		if err == nil || !strings.Contains(err.Error(), "webhook secret") {
			t.Errorf("secret %q: err = %v, want a refusal naming the webhook secret", secret, err)
		}
	}
}
