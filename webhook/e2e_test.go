package webhook

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditbot/auditbot/webhook/githubapi"
)

// onlyCheck returns the single check run, failing otherwise.
func onlyCheck(t *testing.T, checks map[int64]fakeCheck) fakeCheck {
	t.Helper()
	if len(checks) != 1 {
		t.Fatalf("want 1 check run, got %d: %+v", len(checks), checks)
	}
	for _, c := range checks {
		return c
	}
	panic("unreachable")
}

func TestOpenedPostsOneCommentAndOneCheckRunWithBatchedAnnotations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	if got := e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many)); got != http.StatusAccepted {
		t.Fatalf("status %d, want 202", got)
	}
	e.idle()

	reports := e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("want 1 report comment, got %d; logs:\n%s", len(reports), e.logs.String())
	}
	body := reports[0].body
	for _, want := range []string{"head `" + e.commits.many + "`: 60 findings", "`/auditbot`",
		"report " + e.commits.base + ".." + e.commits.many} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	_, checks, _, _ := e.gh.snapshot()
	c := onlyCheck(t, checks)
	if c.head != e.commits.many || c.status != "completed" || c.conclusion != "failure" {
		t.Errorf("check run = %+v, want completed failure on %s", c, e.commits.many)
	}
	total := 0
	for _, n := range c.annotations {
		if n > githubapi.MaxAnnotationsPerRequest {
			t.Errorf("a request carried %d annotations", n)
		}
		total += n
	}
	if total != 60 || len(c.annotations) != 2 {
		t.Errorf("annotations per request = %v, want 60 in 2 requests", c.annotations)
	}
	if e.git.fetches.Load() == 0 {
		t.Error("the repository was not fetched over smart HTTP")
	}
	e.gh.mu.Lock()
	tokens := e.gh.tokenCalls
	e.gh.mu.Unlock()
	if tokens != 1 {
		t.Errorf("installation token fetched %d times, want 1 (cached)", tokens)
	}
	if !strings.Contains(e.logs.String(), "outcome=commented") {
		t.Errorf("no job log line with the outcome:\n%s", e.logs.String())
	}
}

func TestSynchronizeEditsTheSameCommentAndClearsItWhenImpactGoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	e.gh.setHead(e.commits.few)
	e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", e.commits.few))
	e.idle()

	reports := e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("want 1 report comment, got %d", len(reports))
	}
	if !strings.Contains(reports[0].body, ": 3 findings") || reports[0].edit != 1 {
		t.Errorf("comment not edited to the new head's report (edits %d):\n%s", reports[0].edit, reports[0].body)
	}

	// A later push reverts the ecosystem file: the comment must not keep
	// stale findings.
	e.gh.setHead(e.commits.reverted)
	e.deliver("pull_request", "d-3", e.payload("pull_request.synchronize.json", e.commits.reverted))
	e.idle()
	reports = e.gh.reportComments()
	if len(reports) != 1 {
		t.Fatalf("want 1 report comment, got %d", len(reports))
	}
	if strings.Contains(reports[0].body, "findings") || !strings.Contains(reports[0].body, "ya no toca la configuración de PM2") {
		t.Errorf("comment still carries stale findings:\n%s", reports[0].body)
	}
	_, _, created, edited := e.gh.snapshot()
	if created != 1 || edited != 2 {
		t.Errorf("created %d edited %d, want 1 and 2", created, edited)
	}
}

func TestSameDeliveryTwiceIsAuditedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	body := e.payload("pull_request.opened.json", e.commits.many)
	if got := e.deliver("pull_request", "same-id", body); got != http.StatusAccepted {
		t.Fatalf("first: %d", got)
	}
	if got := e.deliver("pull_request", "same-id", body); got != http.StatusOK {
		t.Fatalf("second: %d, want 200 (duplicate)", got)
	}
	e.idle()
	if n := e.auditor.calls.Load(); n != 1 {
		t.Errorf("audited %d times, want 1", n)
	}
}

func TestBadOrMissingSignatureIs401AndNoWork(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	body := e.payload("pull_request.opened.json", e.commits.many)
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-3] = ' '
	cases := []struct {
		name, sig string
		body      []byte
	}{
		{"missing", "", body},
		{"sha1 only", "sha1=" + strings.Repeat("0", 40), body},
		{"wrong secret", sign("another secret", body), body},
		{"tampered body", sign(testSecret, body), tampered},
		{"not hex", "sha256=zz", body},
		{"uppercase prefix", strings.Replace(sign(testSecret, body), "sha256=", "SHA256=", 1), body},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := e.deliverSigned("pull_request", "sig-"+c.name, c.body, c.sig); got != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", got)
			}
		})
	}
	e.assertNoWork(t)
}

// A signed body that is no event (not JSON, or a field read of the wrong
// type) is refused with 400 and does no work.
func TestSignedBodyThatDoesNotParseIs400AndNoWork(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	opened := string(e.payload("pull_request.opened.json", e.commits.many))
	cases := []struct{ name, event, body string }{
		{"not JSON", "pull_request", "action=opened"},
		{"truncated", "pull_request", opened[:len(opened)/2]},
		{"an array", "issue_comment", "[]"},
		{"number a string", "pull_request", strings.Replace(opened, `"number": 2,`, `"number": "2",`, -1)},
		{"no SHAs", "pull_request", `{"action":"opened","pull_request":{"number":2},"repository":{"full_name":"o/r"}}`},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := e.deliver(c.event, "bad-"+strconv.Itoa(i), []byte(c.body)); got != http.StatusBadRequest {
				t.Errorf("status %d, want 400", got)
			}
		})
	}
	e.assertNoWork(t)
}

func TestPullRequestWithoutPM2ImpactGetsNoComment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.gh.setHead(e.commits.readme)
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.readme))
	e.idle()
	if n := e.auditor.calls.Load(); n != 1 {
		t.Fatalf("audited %d times, want 1", n)
	}
	if r := e.gh.reportComments(); len(r) != 0 {
		t.Errorf("got %d report comments, want none", len(r))
	}
	_, checks, _, _ := e.gh.snapshot()
	if c := onlyCheck(t, checks); c.status != "completed" || c.conclusion != "success" {
		t.Errorf("check run = %+v, want completed success", c)
	}
}

func TestGitHub502IsRetriedAndMakesOneComment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.gh.failNext("POST /repos/{owner}/{repo}/issues/{n}/comments", 2)
	e.gh.failNext("GET /repos/{owner}/{repo}/pulls/{n}", 2)
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	if r := e.gh.reportComments(); len(r) != 1 {
		t.Fatalf("got %d report comments, want 1; logs:\n%s", len(r), e.logs.String())
	}
	e.gh.mu.Lock()
	defer e.gh.mu.Unlock()
	posts := 0
	for _, r := range e.gh.requests {
		if strings.HasPrefix(r, "POST ") && strings.HasSuffix(r, "/comments") {
			posts++
		}
	}
	if posts != 3 {
		t.Errorf("comment POSTs = %d, want 3 (two 502s, then created)", posts)
	}
}

// A POST that GitHub processed but answered 502 must not make a second
// comment: the server looks for the marker before trying again.
func TestCommentCreatedDespite502IsNotDuplicated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.gh.mu.Lock()
	e.gh.failAfter["POST /repos/{owner}/{repo}/issues/{n}/comments"] = 1
	e.gh.failAfter["POST /repos/{owner}/{repo}/check-runs"] = 1
	e.gh.mu.Unlock()
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	if r := e.gh.reportComments(); len(r) != 1 || !strings.Contains(r[0].body, "60 findings") {
		t.Fatalf("report comments = %+v, want exactly one", r)
	}
	_, checks, created, _ := e.gh.snapshot()
	if created != 1 {
		t.Errorf("comments created %d, want 1", created)
	}
	if c := onlyCheck(t, checks); c.status != "completed" {
		t.Errorf("check run = %+v, want completed", c)
	}
}

func TestReportOverGitHubLimitMakesOneValidComment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{renderer: fakeRenderer{huge: true}})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	r := e.gh.reportComments()
	if len(r) != 1 {
		t.Fatalf("got %d report comments, want 1; logs:\n%s", len(r), e.logs.String())
	}
	body := r[0].body
	if len(body) > githubapi.MaxCommentBody {
		t.Errorf("comment is %d bytes, over %d", len(body), githubapi.MaxCommentBody)
	}
	if !strings.Contains(body, "supera el límite") || !strings.Contains(body, "`/auditbot`") {
		t.Errorf("cut comment lacks the note or the next steps")
	}
	if strings.Count(body, "<details>") != strings.Count(body, "</details>") || strings.Count(body, "```")%2 != 0 {
		t.Errorf("cut comment leaves a block open")
	}
}

func TestAuditbotCommandReruns(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	if got := e.deliver("issue_comment", "d-2", e.payload("issue_comment.created.json", e.commits.many)); got != http.StatusAccepted {
		t.Fatalf("status %d, want 202", got)
	}
	e.idle()
	if n := e.auditor.calls.Load(); n != 2 {
		t.Errorf("audited %d times, want 2", n)
	}
	// The report did not change: the comment is left as it is.
	if r := e.gh.reportComments(); len(r) != 1 || r[0].edit != 0 {
		t.Errorf("report comments = %+v, want one, not edited", r)
	}
	_, checks, _, _ := e.gh.snapshot()
	if len(checks) != 2 {
		t.Errorf("%d check runs, want one per run", len(checks))
	}
	for id, c := range checks {
		if c.status != "completed" || c.conclusion != "failure" {
			t.Errorf("check run %d = %+v", id, c)
		}
	}
}

func TestIgnoredDeliveriesDoNoWork(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	cases := []struct {
		event, file string
		want        int
	}{
		{"pull_request", "pull_request.closed.json", http.StatusAccepted},
		{"pull_request", "pull_request.edited.json", http.StatusAccepted}, // body edit, no base change
		{"issue_comment", "issue_comment.created.on-plain-issue.json", http.StatusAccepted},
		{"ping", "ping.json", http.StatusOK},
		{"installation", "ping.json", http.StatusAccepted}, // unknown to us
		{"star", "ping.json", http.StatusAccepted},
	}
	for i, c := range cases {
		t.Run(c.file+"/"+c.event, func(t *testing.T) {
			if got := e.deliver(c.event, "ign-"+string(rune('a'+i)), e.payload(c.file, e.commits.many)); got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
		})
	}
	e.idle()
	if n := e.auditor.calls.Load(); n != 0 {
		t.Errorf("audited %d times, want 0", n)
	}
}

func TestSupersededJobIsDropped(t *testing.T) {
	t.Parallel()
	a := &fakeAuditor{gate: make(chan struct{}), started: make(chan string, 4)}
	e := newEnv(t, envOptions{auditor: a})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	<-a.started // the first job is auditing
	e.gh.setHead(e.commits.few)
	e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", e.commits.few))
	close(a.gate)
	e.idle()

	r := e.gh.reportComments()
	if len(r) != 1 || !strings.Contains(r[0].body, e.commits.few+"`: 3 findings") || r[0].edit != 0 {
		t.Fatalf("report comments = %+v, want one, for the newer head only", r)
	}
	_, checks, _, _ := e.gh.snapshot()
	for _, c := range checks {
		want := "failure"
		if c.head == e.commits.many {
			want = "cancelled"
		}
		if c.status != "completed" || c.conclusion != want {
			t.Errorf("check run on %s = %+v, want completed %s", c.head[:7], c, want)
		}
	}
}

func TestQueuedJobForOlderHeadIsDroppedWithoutWork(t *testing.T) {
	t.Parallel()
	a := &fakeAuditor{gate: make(chan struct{}), started: make(chan string, 4)}
	e := newEnv(t, envOptions{auditor: a, workers: 1})
	// Another pull request keeps the only worker busy.
	other := strings.ReplaceAll(string(e.payload("pull_request.opened.json", e.commits.many)), `"number": 2,`, `"number": 3,`)
	e.deliver("pull_request", "d-0", []byte(other))
	<-a.started
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.gh.setHead(e.commits.few)
	e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", e.commits.few))
	close(a.gate)
	e.idle()
	// PR 3 (head "many", as GitHub says) and PR 2 at "few"; d-1 dropped.
	if n := a.calls.Load(); n != 2 {
		t.Errorf("audited %d times, want 2", n)
	}
	if !strings.Contains(e.logs.String(), "delivery=d-1 event=pull_request repository=Codertocat/Hello-World pr=2 head="+e.commits.many+" outcome=superseded") {
		t.Errorf("d-1 not dropped as superseded:\n%s", e.logs.String())
	}
}

func TestFullQueueAnswers503AndRedeliveryIsTaken(t *testing.T) {
	t.Parallel()
	a := &fakeAuditor{gate: make(chan struct{}), started: make(chan string, 4)}
	e := newEnv(t, envOptions{auditor: a, workers: 1, queue: 1})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	<-a.started
	if got := e.deliver("issue_comment", "d-2", e.payload("issue_comment.created.json", e.commits.many)); got != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", got)
	}
	close(a.gate)
	e.idle()
	if got := e.deliver("issue_comment", "d-2", e.payload("issue_comment.created.json", e.commits.many)); got != http.StatusAccepted {
		t.Fatalf("redelivery status %d, want 202", got)
	}
	e.idle()
	if n := a.calls.Load(); n != 2 {
		t.Errorf("audited %d times, want 2", n)
	}
}

func TestGracefulShutdownDrainsJobsInHand(t *testing.T) {
	t.Parallel()
	a := &fakeAuditor{gate: make(chan struct{}), started: make(chan string, 4)}
	e := newEnv(t, envOptions{auditor: a})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	body := e.payload("pull_request.opened.json", e.commits.many)
	req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/webhook", strings.NewReader(string(body)))
	req.Header.Set(headerEvent, "pull_request")
	req.Header.Set(headerDelivery, "d-1")
	req.Header.Set(headerSignature, sign(testSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d", resp.StatusCode)
	}
	<-a.started
	cancel() // SIGTERM
	// While draining, new deliveries are refused so GitHub redelivers.
	deadline := time.Now().Add(5 * time.Second)
	for !e.srv.closing.Load() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := e.deliver("pull_request", "d-2", body); got != http.StatusServiceUnavailable {
		t.Errorf("delivery during shutdown: %d, want 503", got)
	}
	close(a.gate)
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v, want nil", err)
	}
	if r := e.gh.reportComments(); len(r) != 1 {
		t.Errorf("job in hand not finished: %d report comments", len(r))
	}
}

func TestTokenModeFetchesWithTheToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{tokenMode: true})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	if r := e.gh.reportComments(); len(r) != 1 {
		t.Fatalf("got %d report comments; logs:\n%s", len(r), e.logs.String())
	}
}

func TestFetchFailureFailsTheCheckAndLogsNoToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{gitToken: "a-token-the-server-never-gets"})
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	_, checks, _, _ := e.gh.snapshot()
	if c := onlyCheck(t, checks); c.status != "completed" || c.conclusion != "neutral" {
		t.Errorf("check run = %+v, want completed neutral", c)
	}
	if !strings.Contains(e.logs.String(), "outcome=failed") {
		t.Errorf("failure not logged:\n%s", e.logs.String())
	}
	if strings.Contains(e.logs.String(), testToken) {
		t.Error("the installation token was logged")
	}
}

func TestProbesAndMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	get := func(path string) (int, string) {
		resp, err := http.Get(e.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("healthz %d", code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !e.srv.started.Load() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if code, body := get("/readyz"); code != http.StatusOK {
		t.Errorf("readyz %d %s", code, body)
	}
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	_, metrics := get("/metrics")
	for _, want := range []string{
		`auditbot_webhook_deliveries_total{event="pull_request",outcome="queued"} 1`,
		`auditbot_webhook_deliveries_total{event="pull_request",outcome="duplicate"} 1`,
		`auditbot_comments_total{action="created"} 1`,
		`auditbot_jobs_total{outcome="commented"} 1`,
		`auditbot_audit_duration_seconds_count 1`,
		`auditbot_github_requests_total{code="201",method="POST"}`,
		`auditbot_queue_depth 0`,
		`auditbot_check_annotations_total 60`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("readyz after shutdown %d, want 503", code)
	}
}

func TestBodyOverCapIs413(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.srv.cfg.MaxBodyBytes = 1024
	big := []byte(`{"x":"` + strings.Repeat("a", 2048) + `"}`)
	if got := e.deliver("pull_request", "big", big); got != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", got)
	}
}

func TestForeignMarkerCommentIsPassedOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.gh.mu.Lock()
	e.gh.comments = append(e.gh.comments, fakeComment{pr: 2, id: 5, body: commentMarker + "\nplanted", foreign: true})
	e.gh.mu.Unlock()
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	e.gh.setHead(e.commits.few)
	e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", e.commits.few))
	e.idle()
	r := e.gh.reportComments()
	if len(r) != 2 || r[0].body != commentMarker+"\nplanted" || !strings.Contains(r[1].body, ": 3 findings") || r[1].edit != 1 {
		t.Fatalf("report comments = %+v, want the planted one untouched and ours edited", r)
	}
}

func TestRunListensAndStopsOnCancel(t *testing.T) {
	t.Parallel()
	deps := Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}
	s, err := NewServer(Config{WebhookSecret: "s", Token: "t", Addr: "127.0.0.1:0", DataDir: t.TempDir()}, deps, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	s2, err := NewServer(Config{WebhookSecret: "s", Token: "t", Addr: "127.0.0.1:-1", DataDir: t.TempDir()}, deps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Run(context.Background()); err == nil {
		t.Error("Run on a bad address returned nil")
	}
}

func TestSecondaryRateLimitIsWaitedOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.gh.mu.Lock()
	e.gh.limit["POST /repos/{owner}/{repo}/issues/{n}/comments"] = 1
	e.gh.limit["POST /repos/{owner}/{repo}/check-runs"] = 1
	e.gh.mu.Unlock()
	e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
	e.idle()
	_, checks, created, _ := e.gh.snapshot()
	if created != 1 || len(checks) != 1 {
		t.Fatalf("created %d comments and %d check runs, want 1 and 1; logs:\n%s", created, len(checks), e.logs.String())
	}
	if !strings.Contains(e.logs.String(), `msg="retrying GitHub call" method=POST`) || !strings.Contains(e.logs.String(), "status=403 wait=1s") {
		t.Errorf("the rate limit wait is not logged:\n%s", e.logs.String())
	}
}

// assertNoWork waits for the workers to be idle and fails the test when
// any audit ran or any GitHub request was made.
func (e *env) assertNoWork(t *testing.T) {
	t.Helper()
	e.idle()
	e.gh.mu.Lock()
	requests := len(e.gh.requests)
	e.gh.mu.Unlock()
	if n := e.auditor.calls.Load(); n != 0 || requests != 0 {
		t.Errorf("audits %d, GitHub requests %d; want none", n, requests)
	}
}
