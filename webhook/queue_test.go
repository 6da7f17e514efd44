package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// testPostgres gives a PostgreSQL URL and a schema of the test's own
// (dropped at the end), or skips the test when AUDITBOT_TEST_DATABASE_URL
// is not set. CI sets it (.ci/run).
func testPostgres(t testing.TB) (url, schema string) {
	t.Helper()
	url = os.Getenv("AUDITBOT_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("AUDITBOT_TEST_DATABASE_URL is not set: PostgreSQL test skipped")
	}
	schema = fmt.Sprintf("auditbot_test_%d_%d", os.Getpid(), rand.Uint32())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("AUDITBOT_TEST_DATABASE_URL is set but PostgreSQL is not reachable: %v", err)
	}
	defer conn.Close(ctx) //nolint:errcheck
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx) //nolint:errcheck
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Error(err)
		}
	})
	return url, schema
}

// listDeliveries serves the App's deliveries (newest first) as GitHub
// does: the documented example's fields, by pages with a cursor in the
// Link header. It wants the App's JWT.
func (f *fakeGitHub) listDeliveries(w http.ResponseWriter, r *http.Request) {
	if len(r.Header.Get("Authorization")) < len("Bearer x.y.z") || r.Header.Get("Authorization")[:7] != "Bearer " {
		http.Error(w, `{"message":"A JSON web token could not be decoded"}`, http.StatusUnauthorized)
		return
	}
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	f.mu.Lock()
	all := f.hookDeliveries
	lo, hi := min(from, len(all)), min(from+per, len(all))
	out := all[lo:hi]
	f.mu.Unlock()
	if hi < len(all) {
		q := r.URL.Query()
		q.Set("cursor", strconv.Itoa(hi))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, out)
}

// redeliver records the redelivery asked and answers 202, as GitHub does.
func (f *fakeGitHub) redeliver(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization")[:7] != "Bearer " {
		http.Error(w, `{"message":"A JSON web token could not be decoded"}`, http.StatusUnauthorized)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	f.redelivered = append(f.redelivered, id)
	f.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]any{})
}

// addDelivery appends a delivery to the App's list (the newest last
// added), from the documented example with the given fields.
func (f *fakeGitHub) addDelivery(id int64, guid, event, status string, code int, at time.Time) {
	var tmpl []map[string]any
	if err := json.Unmarshal(readTestdata(f.t, "rest/apps.list-webhook-deliveries.json"), &tmpl); err != nil {
		f.t.Fatal(err)
	}
	d := tmpl[0]
	d["id"], d["guid"], d["event"], d["status"], d["status_code"] = id, guid, event, status, code
	d["delivered_at"] = at.UTC().Format(time.RFC3339)
	d["redelivery"] = false
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hookDeliveries = append([]map[string]any{d}, f.hookDeliveries...)
}

// A 502 from git-upload-pack fails the attempt; the job is retried with
// backoff and makes one comment.
func TestGitFetch502IsRetriedByTheQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.git.fail502.Store(2)
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	if r := e.gh.reportComments(); len(r) != 1 {
		t.Fatalf("got %d report comments, want 1; logs:\n%s", len(r), e.logs.String())
	}
	if got := counterValue(t, e.srv.metrics.retries); got != 2 {
		t.Errorf("retries = %v, want 2", got)
	}
	_, checks, _, _ := e.gh.snapshot()
	// The retries take the check run the first attempt started.
	if c := onlyCheck(t, checks); c.status != "completed" || c.conclusion != "failure" {
		t.Errorf("check run = %+v, want one, completed failure", c)
	}
}

// A job whose every attempt fails gives up: its check run is completed
// with a title saying so, and GitHub's redelivery of it is taken.
func TestJobThatGivesUpSaysSoAndItsRedeliveryIsTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.git.fail502.Store(1000)
	body := e.payload("pull_request.opened.json", e.commits.many)
	e.deliver("pull_request", "d-1", body)
	e.idle()
	_, checks, _, _ := e.gh.snapshot()
	c := onlyCheck(t, checks)
	if c.status != "completed" || c.conclusion != "neutral" || !strings.Contains(c.title, "falló 5 veces") {
		t.Errorf("check run = %+v, want completed neutral, titled as given up after 5 attempts", c)
	}
	if n := e.git.fetches.Load(); n != 5 {
		t.Errorf("%d fetches, want 5 (one per attempt)", n)
	}
	e.git.fail502.Store(0)
	if got := e.deliver("pull_request", "d-1", body); got != http.StatusAccepted {
		t.Fatalf("redelivery after giving up: %d, want 202", got)
	}
	e.idle()
	if r := e.gh.reportComments(); len(r) != 1 {
		t.Errorf("got %d report comments after the redelivery, want 1", len(r))
	}
}

// An error no retry mends (git refuses the credentials) cancels the job at
// once.
func TestPermanentFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{gitToken: "another-token"})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	if got := counterValue(t, e.srv.metrics.retries); got != 0 {
		t.Errorf("retries = %v, want 0", got)
	}
	counts, err := e.srv.store.counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts["cancelled"] != 1 {
		t.Errorf("jobs by state %v, want 1 cancelled", counts)
	}
}

// migratedSQLite is an SQLite queue database migrated once per test
// binary: each test's server starts from a copy of it, with nothing left
// to migrate (River's migrations take seconds under -race).
var migratedSQLite = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "auditbot-sqlite-template")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	rc := &river.Config{}
	st, err := openStore(context.Background(), Config{DataDir: dir}, rc, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	st.close() // the last connection's close checkpoints the WAL into the file
	return os.ReadFile(filepath.Join(dir, sqliteFile))
})

// seedSQLite puts a migrated, empty queue database in dir.
func seedSQLite(t testing.TB, dir string) {
	t.Helper()
	b, err := migratedSQLite()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sqliteFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The queue in PostgreSQL (when AUDITBOT_TEST_DATABASE_URL is set): one
// comment, a duplicate delivery answered 200 without work.
func TestPostgresQueueAuditsOncePerDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{postgres: true})
	body := e.payload("pull_request.opened.json", e.commits.many)
	if got := e.deliver("pull_request", "pg-1", body); got != http.StatusAccepted {
		t.Fatalf("status %d, want 202", got)
	}
	if got := e.deliver("pull_request", "pg-1", body); got != http.StatusOK {
		t.Fatalf("duplicate: status %d, want 200", got)
	}
	e.idle()
	if r := e.gh.reportComments(); len(r) != 1 {
		t.Fatalf("got %d report comments, want 1; logs:\n%s", len(r), e.logs.String())
	}
	if n := e.auditor.calls.Load(); n != 1 {
		t.Errorf("audited %d times, want 1", n)
	}
}

// The reconcile asks GitHub to redeliver a failed delivery that never
// succeeded and that the server never took, and nothing else.
func TestReconcileRedeliversOnlyMissedDeliveries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	now := time.Now()
	// Taken by the server: GitHub's record failed, but the job is queued.
	e.deliver("pull_request", "taken", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	e.gh.addDelivery(1, "missed", "pull_request", "Invalid HTTP Response: 503", 503, now.Add(-3*time.Minute))
	e.gh.addDelivery(2, "missed", "pull_request", "Invalid HTTP Response: 502", 502, now.Add(-2*time.Minute))
	e.gh.addDelivery(3, "taken", "pull_request", "timed out", 0, now.Add(-2*time.Minute))
	e.gh.addDelivery(4, "ok-later", "issue_comment", "Invalid HTTP Response: 502", 502, now.Add(-2*time.Minute))
	e.gh.addDelivery(5, "ok-later", "issue_comment", "OK", 200, now.Add(-time.Minute))
	e.gh.addDelivery(6, "other-event", "issues", "Invalid HTTP Response: 502", 502, now.Add(-time.Minute))
	app, ok := e.srv.appClient()
	if !ok {
		t.Fatal("no App client in App mode")
	}
	res, err := e.srv.reconcile(context.Background(), app, now)
	if err != nil {
		t.Fatal(err)
	}
	e.gh.mu.Lock()
	got := append([]int64(nil), e.gh.redelivered...)
	e.gh.mu.Unlock()
	// Only the newest failed attempt of "missed" is redelivered (the
	// reconcile the server ran at its start may have asked too).
	if len(got) == 0 || slices.ContainsFunc(got, func(id int64) bool { return id != 2 }) {
		t.Errorf("redelivered %v, want only 2", got)
	}
	if res.processed != 1 || res.redelivered != 1 {
		t.Errorf("result %+v, want 1 already processed and 1 redelivered", res)
	}
}

// SIGTERM with jobs queued: the running job is cut off at the shutdown
// timeout and goes back to the queue with the jobs not started; a new
// server on the same data directory runs them all, one comment per pull
// request.
func TestShutdownLeavesJobsForTheNextStart(t *testing.T) {
	t.Parallel()
	a := &fakeAuditor{gate: make(chan struct{}), started: make(chan string, 16)}
	e := newEnv(t, envOptions{auditor: a, workers: 1})
	for pr := 2; pr <= 4; pr++ {
		body := strings.ReplaceAll(string(e.payload("pull_request.opened.json", e.commits.many)), `"number": 2,`, fmt.Sprintf(`"number": %d,`, pr))
		if got := e.deliver("pull_request", fmt.Sprintf("d-%d", pr), []byte(body)); got != http.StatusAccepted {
			t.Fatalf("status %d", got)
		}
	}
	<-a.started // one job is auditing, held
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err == nil {
		t.Fatal("Shutdown = nil, want the timeout: a job was cut off")
	}
	if r := e.gh.reportComments(); len(r) != 0 {
		t.Fatalf("%d comments before the restart", len(r))
	}
	close(a.gate)
	cfg := e.srv.cfg
	srv, err := NewServer(cfg, e.srv.deps, slog.New(slog.NewTextHandler(e.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) }) //nolint:errcheck
	waitIdle(t, srv, 30*time.Second, e.logs.String)
	perPR := map[int]int{}
	for _, c := range e.gh.reportComments() {
		perPR[c.pr]++
	}
	if len(perPR) != 3 || perPR[2] != 1 || perPR[3] != 1 || perPR[4] != 1 {
		t.Errorf("comments per pull request %v, want one each for 2, 3, 4; logs:\n%s", perPR, e.logs.String())
	}
}
