package webhook

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditbot/auditbot/webhook/githubapi"
)

// FuzzWebhook sends signed arbitrary bodies: the handler must answer with
// one of its documented statuses and never panic, whatever the payload.
func FuzzWebhook(f *testing.F) {
	files, _ := filepath.Glob("testdata/github/webhooks/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("pull_request", b)
		f.Add("issue_comment", b)
	}
	f.Add("pull_request", []byte(`{"action":"opened","number":1,"pull_request":{"number":1,"head":{"sha":"zz"}}}`))
	f.Add("ping", []byte(`{}`))
	s, err := NewServer(Config{
		WebhookSecret: testSecret,
		Token:         "fuzz-token",
		BaseURL:       "http://127.0.0.1:1/", // nothing listens: jobs fail at once
		Workers:       1,
		QueueSize:     4,
		GitHubTimeout: time.Second,
		Retry:         githubapi.RetryPolicy{MaxAttempts: 1},
		DataDir:       f.TempDir(),
	}, Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}, slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Shutdown(f.Context()) }) //nolint:errcheck
	h := s.Handler()
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		req.Header.Set(headerEvent, event)
		req.Header.Set(headerDelivery, "fuzz-"+time.Now().Format(time.RFC3339Nano))
		req.Header.Set(headerSignature, sign(testSecret, body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK, http.StatusAccepted, http.StatusBadRequest, http.StatusServiceUnavailable:
		default:
			t.Errorf("status %d for event %q", w.Code, event)
		}
	})
}
