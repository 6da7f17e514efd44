package webhook

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// engineCommits are the commits of the repository the real-engine tests
// serve: a service that never calls process.send('ready'), its ecosystem
// file, and a pull request branch that changes that file.
type engineCommits struct {
	base       string // main: wait_ready: true and listen_timeout: 10000
	mainAhead  string // main, after the branch point: adds a "worker" app with kill_signal
	fixed      string // pr: wait_ready and listen_timeout removed
	killSignal string // pr: kill_signal: 'SIGTERM' added to the app
	docsOnly   string // pr: the ecosystem file as on main, README changed
}

// ecosystemApp is an ecosystem file with one app, "api", and extra lines
// inside it.
func ecosystemApp(extra ...string) string {
	var b strings.Builder
	b.WriteString("module.exports = {\n  apps: [\n    {\n      name: 'api',\n      script: 'index.js',\n")
	for _, l := range extra {
		fmt.Fprintf(&b, "      %s\n", l)
	}
	b.WriteString("    },\n  ],\n};\n")
	return b.String()
}

func newEngineRepo(t testing.TB, root string) engineCommits {
	t.Helper()
	w := newGitWork(t)
	var c engineCommits
	w.write("index.js", "const http = require('http');\n"+
		"const server = http.createServer((req, res) => res.end('ok'));\n"+
		"server.listen(process.env.PORT || 3000, () => console.log('listening'));\n")
	w.write("package.json", `{ "name": "api", "version": "1.0.0", "main": "index.js" }`+"\n")
	w.write("start.sh", "#!/bin/sh\nexec node index.js\n")
	w.write("README.md", "# api\n")
	w.write("ecosystem.config.js", ecosystemApp("wait_ready: true,", "listen_timeout: 10000,"))
	c.base = w.commit("api under PM2")

	w.run("checkout", "-q", "-b", "pr")
	w.write("ecosystem.config.js", ecosystemApp())
	c.fixed = w.commit("remove wait_ready and listen_timeout: the service never sends ready")
	w.write("ecosystem.config.js", ecosystemApp("kill_signal: 'SIGTERM',"))
	c.killSignal = w.commit("stop with SIGTERM")
	w.write("ecosystem.config.js", ecosystemApp("wait_ready: true,", "listen_timeout: 10000,"))
	w.write("README.md", "# api\n\nHow to run it.\n")
	c.docsOnly = w.commit("back to main's PM2 config; docs")

	w.run("checkout", "-q", "main")
	w.write("ecosystem.config.js", strings.Replace(ecosystemApp("wait_ready: true,", "listen_timeout: 10000,"),
		"    },\n  ],", "    },\n    {\n      name: 'worker',\n      script: 'index.js',\n      kill_signal: 'SIGTERM',\n    },\n  ],", 1))
	c.mainAhead = w.commit("add a worker")
	w.publish(root)
	return c
}

// engineEnv serves newEngineRepo with the real engine; the pull request's
// head is c.fixed and its base the tip of main as given by base.
func engineEnv(t *testing.T, base func(engineCommits) string) (*env, engineCommits) {
	t.Helper()
	var c engineCommits
	e := newEnv(t, envOptions{engine: true, repo: func(t testing.TB, root string) (string, string) {
		c = newEngineRepo(t, root)
		return c.fixed, base(c)
	}})
	return e, c
}

func hasNote(notes []fakeAnnotation, path string, line int, level string) bool {
	for _, n := range notes {
		if n.Path == path && n.StartLine == line && n.Level == level {
			return true
		}
	}
	return false
}

// checkOn returns the check run on head, failing unless there is exactly
// one.
func checkOn(t *testing.T, e *env, head string) fakeCheck {
	t.Helper()
	_, checks, _, _ := e.gh.snapshot()
	var found []fakeCheck
	for _, c := range checks {
		if c.head == head {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want 1 check run on %s, got %d", short(head), len(found))
	}
	return found[0]
}

// The real engine, fetch and report behind the server: the comment
// follows the pull request through a fix, a new warning and a push that
// leaves PM2 config as it was.
func TestRealEngineCommentFollowsThePullRequest(t *testing.T) {
	t.Parallel()
	e, c := engineEnv(t, func(c engineCommits) string { return c.base })

	// Opened: the head removes wait_ready/listen_timeout from an app whose
	// code never sends 'ready': the error is fixed.
	if got := e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", c.fixed)); got != http.StatusAccepted {
		t.Fatalf("status %d, want 202", got)
	}
	e.idle()
	reports := e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("want 1 report comment, got %d; logs:\n%s", len(reports), e.logs.String())
	}
	body := reports[0].body
	for _, want := range []string{
		commentMarker,
		"wait-ready-without-handshake",
		"corregido",
		"git checkout " + c.base + " -- ecosystem.config.js", // rollback to the base
		"report " + c.base + ".." + c.fixed,                  // the local command
		"`/auditbot`",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("opened: comment lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "kill-signal-option") {
		t.Errorf("opened: comment reports kill_signal, which no revision has yet")
	}
	ck := checkOn(t, e, c.fixed)
	if ck.status != "completed" || ck.conclusion != "success" {
		t.Errorf("opened: check run %s/%s, want completed/success (only a fixed error, no warning)", ck.status, ck.conclusion)
	}
	// The fixed error is at the base's line 6: never annotated on head.
	if hasNote(ck.notes, "ecosystem.config.js", 6, "failure") {
		t.Errorf("opened: the fixed finding was annotated: %+v", ck.notes)
	}
	// The unchanged note (start.sh run by no app) is annotated on head.
	if !hasNote(ck.notes, "ecosystem.config.js", 1, "notice") {
		t.Errorf("opened: no notice annotation for the unchanged finding: %+v", ck.notes)
	}

	// Synchronize: kill_signal: 'SIGTERM' added, an option PM2 does not
	// have: a new warning, same comment.
	e.gh.setHead(c.killSignal)
	e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", c.killSignal))
	e.idle()
	reports = e.gh.reportComments()
	if len(reports) != 1 || reports[0].edit != 1 {
		t.Fatalf("synchronize: want the one comment edited once, got %+v", reports)
	}
	body = reports[0].body
	for _, want := range []string{"kill-signal-option", "introducido", "wait-ready-without-handshake", c.killSignal} {
		if !strings.Contains(body, want) {
			t.Errorf("synchronize: comment lacks %q:\n%s", want, body)
		}
	}
	ck = checkOn(t, e, c.killSignal)
	if ck.status != "completed" || ck.conclusion != "neutral" {
		t.Errorf("synchronize: check run %s/%s, want completed/neutral (a warning)", ck.status, ck.conclusion)
	}
	if !hasNote(ck.notes, "ecosystem.config.js", 6, "warning") {
		t.Errorf("synchronize: no warning annotation at ecosystem.config.js:6: %+v", ck.notes)
	}
	for _, n := range ck.notes {
		if n.Path == "" || n.StartLine < 1 {
			t.Errorf("synchronize: annotation without a place: %+v", n)
		}
	}

	// A push that puts the ecosystem file back as on main and only
	// changes docs: the comment says the PR no longer touches PM2.
	e.gh.setHead(c.docsOnly)
	e.deliver("pull_request", "d-3", e.payload("pull_request.synchronize.json", c.docsOnly))
	e.idle()
	reports = e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("docs only: want 1 report comment, got %d", len(reports))
	}
	body = reports[0].body
	if !strings.Contains(body, "ya no toca la configuración de PM2") || strings.Contains(body, "kill-signal-option") ||
		strings.Contains(body, "wait-ready-without-handshake") {
		t.Errorf("docs only: comment keeps stale findings or lacks the note:\n%s", body)
	}
	if ck := checkOn(t, e, c.docsOnly); ck.status != "completed" || ck.conclusion != "success" {
		t.Errorf("docs only: check run %s/%s, want completed/success", ck.status, ck.conclusion)
	}
	_, _, created, edited := e.gh.snapshot()
	if created != 1 || edited != 2 {
		t.Errorf("created %d edited %d, want 1 and 2", created, edited)
	}
}

// When the base branch moved on after the pull request branched off, the
// audit is from the merge base, as GitHub's "Files changed": the base's
// new commit (a "worker" app with kill_signal) is not reported as if the
// pull request had removed it.
func TestAuditIsFromTheMergeBase(t *testing.T) {
	t.Parallel()
	e, c := engineEnv(t, func(c engineCommits) string { return c.mainAhead })
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", c.fixed))
	e.idle()
	reports := e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("want 1 report comment, got %d; logs:\n%s", len(reports), e.logs.String())
	}
	body := reports[0].body
	for _, want := range []string{"wait-ready-without-handshake", "git checkout " + c.base + " -- ecosystem.config.js",
		"report " + c.base + ".." + c.fixed} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	for _, stale := range []string{"kill-signal-option", "worker", c.mainAhead, short(c.mainAhead)[:7]} {
		if strings.Contains(body, stale) {
			t.Errorf("comment carries %q, from the base branch's later commit:\n%s", stale, body)
		}
	}
	e.gh.mu.Lock()
	defer e.gh.mu.Unlock()
	want := "GET /repos/" + testOwner + "/" + testRepo + "/compare/" + c.mainAhead + "..." + c.fixed
	found := false
	for _, r := range e.gh.requests {
		found = found || r == want
	}
	if !found {
		t.Errorf("no %s among the GitHub calls %v", want, e.gh.requests)
	}
}

// Without the compare API's answer the audit still runs, from the base
// branch's tip, and says so in the logs.
func TestCompareFailureFallsBackToTheBaseTip(t *testing.T) {
	t.Parallel()
	e, c := engineEnv(t, func(c engineCommits) string { return c.mainAhead })
	e.gh.mu.Lock()
	e.gh.noCompare = true
	e.gh.mu.Unlock()
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", c.fixed))
	e.idle()
	reports := e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("want 1 report comment, got %d; logs:\n%s", len(reports), e.logs.String())
	}
	body := reports[0].body
	// From the tip, main's later worker shows up reversed: the known cost
	// of the fallback.
	for _, want := range []string{"git checkout " + c.mainAhead + " -- ecosystem.config.js", "kill-signal-option"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(e.logs.String(), `level=WARN msg="no merge base from the compare API; auditing from the base branch's tip"`) {
		t.Errorf("the fallback is not logged as a warning:\n%s", e.logs.String())
	}
	if ck := checkOn(t, e, c.fixed); ck.status != "completed" {
		t.Errorf("check run %s, want completed", ck.status)
	}
}

// The server fetches through the repository cache on disk (issue 10):
// the pull request's later heads fetch only what they add, a job whose
// commits are all in the cache asks git for nothing, and /metrics counts
// hits, misses and bytes.
func TestRealEngineFetchesThroughTheRepositoryCache(t *testing.T) {
	t.Parallel()
	var c engineCommits
	cacheDir := t.TempDir()
	e := newEnv(t, envOptions{engine: true, cacheDir: cacheDir, repo: func(t testing.TB, root string) (string, string) {
		c = newEngineRepo(t, root)
		return c.fixed, c.base
	}})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", c.fixed))
	e.idle()
	e.gh.setHead(c.killSignal)
	e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", c.killSignal))
	e.idle()
	fetches := e.git.fetches.Load()
	// The same head again (a redelivery under a new id): all in the cache.
	e.deliver("pull_request", "d-3", e.payload("pull_request.synchronize.json", c.killSignal))
	e.idle()
	if got := e.git.fetches.Load(); got != fetches {
		t.Errorf("a job whose commits are cached fetched from git (%d upload-pack requests)", got-fetches)
	}
	if reports := e.gh.reportComments(); len(reports) != 1 || !strings.Contains(reports[0].body, "kill-signal-option") {
		t.Fatalf("want one report comment about kill_signal, got %+v; logs:\n%s", reports, e.logs.String())
	}
	resp, err := http.Get(e.http.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	metrics := string(b)
	for _, want := range []string{
		"auditbot_repo_cache_hits_total 1\n",
		"auditbot_repo_cache_misses_total 2\n",
		"auditbot_repo_cache_evictions_total 0\n",
		"auditbot_repo_cache_fetched_bytes_total ",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(cacheDir, "repos")); len(entries) != 1 {
		t.Errorf("cache holds %d repositories, want 1", len(entries))
	}
}
