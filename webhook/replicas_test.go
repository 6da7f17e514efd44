package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Two replicas on one PostgreSQL queue: 1,000 deliveries over 20 pull
// requests, 10% of them sent again (to the other replica), 502s from
// git-upload-pack and from the comment POST: no delivery lost, no
// duplicate comment, and each pull request's comment is for its newest
// head.
func TestTwoReplicasOnPostgres(t *testing.T) {
	const (
		deliveries = 1000
		prs        = 20
		dupEvery   = 10 // every 10th delivery is a duplicate of the one before
	)
	e := newEnv(t, envOptions{postgres: true, quiet: true, queue: 2 * deliveries})
	// A linear history of heads, shared by the pull requests.
	w := newGitWork(t)
	w.write("ecosystem.config.js", ecosystem(1, 0))
	base := w.commit("base")
	unique := deliveries - deliveries/dupEvery
	perPR := unique / prs
	heads := make([]string, perPR)
	for i := range heads {
		w.write("ecosystem.config.js", ecosystem(1+i%3, 1))
		w.write("n.txt", fmt.Sprint(i))
		heads[i] = w.commit(fmt.Sprint("head ", i))
	}
	root := t.TempDir()
	w.publish(root)
	e.git.Close()
	e.git = newGitServer(t, root, testToken)
	e.commits.base = base
	e.gh.mu.Lock()
	e.gh.prHeads = map[int]string{}
	e.gh.base = base
	e.gh.gitDir = root + "/" + testOwner + "/" + testRepo + ".git"
	e.gh.mu.Unlock()

	// The second replica: same database and schema, same fakes.
	cfg := e.srv.cfg
	deps := e.srv.deps
	deps.Clients = nil
	deps.CloneURL = func(owner, repo string) (string, error) { return e.git.URL + "/" + owner + "/" + repo + ".git", nil }
	e.srv.deps.CloneURL = deps.CloneURL
	srv2, err := NewServer(cfg, deps, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	http2 := httptest.NewServer(srv2.Handler())
	t.Cleanup(func() {
		http2.Close()
		srv2.Shutdown(context.Background()) //nolint:errcheck
	})
	urls := []string{e.http.URL, http2.URL}

	e.git.fail502.Store(30)
	e.gh.failNext("POST /repos/{owner}/{repo}/issues/{n}/comments", 30)

	step := make([]int, prs)
	tmpl := string(e.payload("pull_request.synchronize.json", "HEADSHA"))
	var last struct {
		id   string
		body []byte
	}
	sent := 0
	for i := range deliveries {
		target := urls[i%2]
		if i%dupEvery == dupEvery-1 {
			// GitHub sending a delivery again, to the other replica.
			e.http.URL = urls[(i+1)%2]
			if got := e.deliver("pull_request", last.id, last.body); got != 200 && got != 202 {
				t.Fatalf("duplicate %s: status %d", last.id, got)
			}
			continue
		}
		pr := sent % prs
		sent++
		head := heads[min(step[pr], perPR-1)]
		step[pr]++
		e.gh.mu.Lock()
		e.gh.prHeads[pr+2] = head
		e.gh.mu.Unlock()
		body := strings.ReplaceAll(strings.ReplaceAll(tmpl, "HEADSHA", head), `"number": 2,`, fmt.Sprintf(`"number": %d,`, pr+2))
		last.id, last.body = fmt.Sprintf("rep-%d", i), []byte(body)
		e.http.URL = target
		if got := e.deliver("pull_request", last.id, last.body); got != 202 {
			t.Fatalf("delivery %d: status %d", i, got)
		}
	}
	waitIdle(t, e.srv, 5*time.Minute, func() string { return "" })
	if i := strings.Index(e.logs.String(), "err="); i >= 0 {
		t.Logf("first error: %.400s", e.logs.String()[i:])
	}
	counts, err := e.srv.store.counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts["discarded"] != 0 || counts["cancelled"] != 0 || counts["completed"] != int64(unique) {
		t.Errorf("jobs by state %v, want %d completed and none failed", counts, unique)
	}
	byPR := map[int][]fakeComment{}
	for _, c := range e.gh.reportComments() {
		byPR[c.pr] = append(byPR[c.pr], c)
	}
	for pr := 2; pr < 2+prs; pr++ {
		cs := byPR[pr]
		if len(cs) != 1 {
			t.Errorf("PR %d: %d comments, want 1", pr, len(cs))
			continue
		}
		e.gh.mu.Lock()
		want := e.gh.prHeads[pr]
		e.gh.mu.Unlock()
		if !strings.Contains(cs[0].body, "head `"+want+"`") {
			t.Errorf("PR %d: comment not for the newest head %s:\n%.200s", pr, want[:7], cs[0].body)
		}
	}
	t.Logf("%d deliveries (%d unique) over %d PRs on two replicas: jobs %v, audits %d, git fetches %d",
		deliveries, unique, prs, counts, e.auditor.calls.Load(), e.git.fetches.Load())
}
