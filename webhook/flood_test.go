package webhook

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditbot/auditbot/webhook/githubapi"
)

// Issue 9: 100 concurrent unsigned 25 MB bodies took the server's RSS to
// 2.6 GB, and it stayed there.

const (
	floodClients = 100
	floodBody    = githubapi.MaxWebhookPayload
	floodEnv     = "AUDITBOT_FLOOD_CHILD"
)

// BenchmarkUnsignedFlood runs the real handler in a child process (so its
// peak RSS is the server's alone), fires 100 concurrent 25 MB bodies with
// well-formed but wrong signatures at it (the worst case: a body must be
// read to be refused), and reports the child's peak RSS (VmHWM) in MB and
// how the requests were answered. It asserts nothing: the figure is in
// webhook/README.md.
//
//	go test ./webhook -run '^$' -bench UnsignedFlood -benchtime 1x
func BenchmarkUnsignedFlood(b *testing.B) {
	for range b.N {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestFloodChild$", "-test.v")
		cmd.Env = append(os.Environ(), floodEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("flood child: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`FLOOD base_kb=(\d+) peak_kb=(\d+) after_kb=(\d+) statuses=(\S*)`).FindSubmatch(out)
		if m == nil {
			b.Fatalf("flood child printed no result:\n%s", out)
		}
		base, _ := strconv.Atoi(string(m[1]))
		peak, _ := strconv.Atoi(string(m[2]))
		after, _ := strconv.Atoi(string(m[3]))
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
		b.ReportMetric(float64(base)/1024, "start-RSS-MB")
		b.ReportMetric(float64(after)/1024, "RSS-after-MB")
		b.Logf("statuses: %s", m[4])
	}
}

// TestFloodChild is the child process of BenchmarkUnsignedFlood.
func TestFloodChild(t *testing.T) {
	if os.Getenv(floodEnv) == "" {
		t.Skip("child process of BenchmarkUnsignedFlood")
	}
	s, err := NewServer(Config{
		WebhookSecret: testSecret,
		Token:         "flood-token",
		BaseURL:       "http://127.0.0.1:1/",
		Workers:       1,
		QueueSize:     4,
		Retry:         githubapi.RetryPolicy{MaxAttempts: 1},
		DataDir:       t.TempDir(),
	}, Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(t.Context()) //nolint:errcheck
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	base := vmKB(t, "VmRSS")
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: floodClients}, Timeout: 5 * time.Minute}
	var mu sync.Mutex
	statuses := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range floodClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/webhook", io.LimitReader(zeros{}, floodBody))
			if err != nil {
				panic(err)
			}
			req.ContentLength = floodBody
			req.Header.Set(headerEvent, "pull_request")
			req.Header.Set(headerDelivery, fmt.Sprintf("flood-%d", i))
			req.Header.Set(headerSignature, "sha256="+strings.Repeat("0", 64))
			key := "error"
			if resp, err := client.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body) //nolint:errcheck
				resp.Body.Close()
				key = strconv.Itoa(resp.StatusCode)
			}
			mu.Lock()
			statuses[key]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	time.Sleep(2 * time.Second) // let the GC run: is the memory given back?
	keys := make([]string, 0, len(statuses))
	for k, n := range statuses {
		keys = append(keys, fmt.Sprintf("%s:%d", k, n))
	}
	sort.Strings(keys)
	fmt.Printf("FLOOD base_kb=%d peak_kb=%d after_kb=%d statuses=%s\n", base, vmKB(t, "VmHWM"), vmKB(t, "VmRSS"), strings.Join(keys, ","))
}

// zeros is an endless reader of zero bytes: the client sends 25 MB
// bodies without holding them.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// vmKB reads a "Vm…: N kB" line of /proc/self/status.
func vmKB(t *testing.T, field string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	t.Fatalf("%s not in /proc/self/status", field)
	return 0
}
