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
	"github.com/jackc/pgx/v5"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

const crashEnv = "AUDITBOT_CRASH_CHILD"

// crashChildConfig is what the parent tells the child server.
type crashChildConfig struct {
	DataDir, BaseURL, GitURL, KeyFile string
	AuditDelay                        time.Duration
	// DatabaseURL and DatabaseSchema put the queue in PostgreSQL;
	// JobTimeout and RescueAfter, when set, are the server's.
	DatabaseURL, DatabaseSchema string
	JobTimeout, RescueAfter     time.Duration
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
		DatabaseURL: c.DatabaseURL, DatabaseSchema: c.DatabaseSchema, JobTimeout: c.JobTimeout, RescueAfter: c.RescueAfter,
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
// runs every job, and each pull request gets exactly one comment. With
// SQLite the new start requeues the job it finds running at once.
func TestKillNineLosesNoJob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	killNine(t, false)
}

// The same on PostgreSQL (AUDITBOT_TEST_DATABASE_URL), where a job left
// running by a dead process may as well belong to a live replica: River's
// leader rescues it only once it has been running for Config.RescueAfter
// (here 3 s, with a 2 s job timeout), and retries it. The killed job is
// rescued once (its second attempt) and completed, and each pull request
// gets exactly one comment.
func TestKillNineLosesNoJobOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	killNine(t, true)
}

func killNine(t *testing.T, postgres bool) {
	e := newEnv(t, envOptions{})
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, e.key, 0o600); err != nil {
		t.Fatal(err)
	}
	c := crashChildConfig{DataDir: t.TempDir(), BaseURL: e.gh.URL + "/", GitURL: e.git.URL, KeyFile: keyFile,
		AuditDelay: 400 * time.Millisecond}
	var db *pgx.Conn
	if postgres {
		c.DatabaseURL, c.DatabaseSchema = testPostgres(t)
		c.JobTimeout, c.RescueAfter = 2*time.Second, 3*time.Second
		var err error
		db, err = pgx.Connect(t.Context(), c.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(context.Background()) }) //nolint:errcheck
	} else {
		seedSQLite(t, c.DataDir)
	}
	table := func(name string) string {
		return pgx.Identifier{c.DatabaseSchema, name}.Sanitize()
	}
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
	// The jobs the dead process left running: the one it was working on,
	// and any whose completion River had not yet written (it completes
	// jobs in batches).
	var killed []int64
	if postgres {
		rows, err := db.Query(t.Context(), `SELECT id FROM `+table("river_job")+` WHERE state = 'running' AND kind = 'auditbot_audit' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		killed, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		if len(killed) == 0 {
			t.Fatal("no audit job was left running by the killed process")
		}
	}
	before := len(e.gh.reportComments())
	if before >= prs {
		t.Fatalf("%d comments before the kill: nothing was left to lose", before)
	}
	c.AuditDelay = 0
	startCrashChild(t, c)
	// No timing is asserted: River's leader election and its rescuer's
	// 30 s ticks decide when the killed job runs again; the deadline only
	// stops a test that would otherwise hang.
	deadline := time.Now().Add(3 * time.Minute)
	for len(e.gh.reportComments()) < prs && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	notDone := func() int {
		var n int
		if err := db.QueryRow(t.Context(), `SELECT count(*) FROM `+table("river_job")+` WHERE kind = 'auditbot_audit' AND state <> 'completed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for postgres && notDone() > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
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
	if postgres {
		for _, id := range killed {
			var state, firstErr string
			var attempt, errs int
			err := db.QueryRow(t.Context(), `SELECT state, attempt, COALESCE(array_length(errors, 1), 0), COALESCE(errors[1]->>'error', '') FROM `+
				table("river_job")+` WHERE id = $1`, id).Scan(&state, &attempt, &errs, &firstErr)
			if err != nil {
				t.Fatal(err)
			}
			// River records a rescue as the attempt's error.
			if state != "completed" || attempt != 2 || errs != 1 || !strings.Contains(firstErr, "rescued") {
				t.Errorf("the killed job %d is %s after %d attempts with %d recorded errors (first %q); want completed on its second attempt, rescued once by River's JobRescuer",
					id, state, attempt, errs, firstErr)
			}
		}
		if n := notDone(); n != 0 {
			t.Errorf("%d audit jobs not completed", n)
		}
	}
	t.Logf("%d of %d pull requests commented before kill -9, all %d after the restart; jobs left running and rescued: %v", before, prs, len(perPR), killed)
}

// TestRescueAfterMustExceedJobTimeout: a rescue delay within the job
// timeout would retry jobs that are still running; the server refuses it.
func TestRescueAfterMustExceedJobTimeout(t *testing.T) {
	_, err := NewServer(Config{WebhookSecret: "s", Token: "t", JobTimeout: time.Minute, RescueAfter: time.Minute},
		Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}, nil)
	if err == nil || !strings.Contains(err.Error(), "rescue delay") {
		t.Errorf("RescueAfter = JobTimeout: err = %v, want a refusal naming the rescue delay", err)
	}
}
