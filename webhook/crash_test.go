package webhook

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

const crashEnv = "AUDITBOT_CRASH_CHILD"

// crashChildConfig is what the parent tells the child server.
type crashChildConfig struct {
	DataDir, BaseURL, GitURL, KeyFile string
	AuditDelay                        time.Duration
}

// TestCrashChild is the server process of TestKillNineLosesNoJob: it
// serves until killed, printing its address first.
func TestCrashChild(t *testing.T) {
	raw := os.Getenv(crashEnv)
	if raw == "" {
		t.Skip("child process of TestKillNineLosesNoJob")
	}
	var c crashChildConfig
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(c.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{
		WebhookSecret: testSecret, AppID: 42, PrivateKey: key, BaseURL: c.BaseURL, DataDir: c.DataDir,
		Workers: 1, GitHubTimeout: 10 * time.Second,
		Retry:    githubapi.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
		JobRetry: JobRetryPolicy{MaxAttempts: 5, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond},
	}, Deps{Auditor: &slowAuditor{delay: c.AuditDelay}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{},
		CloneURL: func(owner, repo string) (string, error) { return c.GitURL + "/" + owner + "/" + repo + ".git", nil }},
		slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	s.Serve(context.Background(), ln) //nolint:errcheck // killed
}

// slowAuditor is fakeAuditor taking delay per audit.
type slowAuditor struct {
	fakeAuditor
	delay time.Duration
}

func (a *slowAuditor) Audit(ctx context.Context, repo *git.Repository, base, head string) (*audit.Document, error) {
	select {
	case <-time.After(a.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return a.fakeAuditor.Audit(ctx, repo, base, head)
}

// startCrashChild starts the test binary as a server process and returns
// it with its address.
func startCrashChild(t *testing.T, c crashChildConfig) (*exec.Cmd, string) {
	t.Helper()
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), crashEnv+"="+string(raw))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() }) //nolint:errcheck
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "ADDR "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return cmd, addr
		}
	}
	t.Fatal("the child server printed no address")
	return nil, ""
}

// kill -9 of the server with jobs queued and one running: the next start
// runs every job, and each pull request gets exactly one comment.
func TestKillNineLosesNoJob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	e := newEnv(t, envOptions{})
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, e.key, 0o600); err != nil {
		t.Fatal(err)
	}
	c := crashChildConfig{DataDir: t.TempDir(), BaseURL: e.gh.URL + "/", GitURL: e.git.URL, KeyFile: keyFile,
		AuditDelay: 400 * time.Millisecond}
	seedSQLite(t, c.DataDir)
	cmd, addr := startCrashChild(t, c)
	const prs = 6
	for pr := 2; pr < 2+prs; pr++ {
		body := []byte(strings.ReplaceAll(string(e.payload("pull_request.opened.json", e.commits.many)), `"number": 2,`, fmt.Sprintf(`"number": %d,`, pr)))
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhook", strings.NewReader(string(body)))
		req.Header.Set(headerEvent, "pull_request")
		req.Header.Set(headerDelivery, fmt.Sprintf("crash-%d", pr))
		req.Header.Set(headerSignature, sign(testSecret, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("delivery for PR %d: %d", pr, resp.StatusCode)
		}
	}
	// Kill once a job has commented: the next one is running, the rest
	// queued.
	for wait := time.Now().Add(30 * time.Second); len(e.gh.reportComments()) == 0 && time.Now().Before(wait); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() //nolint:errcheck
	before := len(e.gh.reportComments())
	if before >= prs {
		t.Fatalf("%d comments before the kill: nothing was left to lose", before)
	}
	c.AuditDelay = 0
	startCrashChild(t, c)
	deadline := time.Now().Add(60 * time.Second)
	for len(e.gh.reportComments()) < prs && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would show now
	perPR := map[int]int{}
	for _, cm := range e.gh.reportComments() {
		perPR[cm.pr]++
	}
	for pr := 2; pr < 2+prs; pr++ {
		if perPR[pr] != 1 {
			t.Errorf("PR %d has %d comments, want 1 (all: %v; %d before the kill)", pr, perPR[pr], perPR, before)
		}
	}
	t.Logf("%d of %d pull requests commented before kill -9, all %d after the restart", before, prs, len(perPR))
}
