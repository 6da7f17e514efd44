package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/webhook/githubapi"
	"github.com/auditbot/auditbot/webhook/repocache"
)

const (
	testSecret = "It's a Secret to Everybody"
	// testToken is the installation token of the documented example
	// (apps.create-installation-access-token.json).
	testToken = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	testPAT   = "test-pat-0123456789"
	testOwner = "Codertocat"
	testRepo  = "Hello-World"
	// SHAs of the webhook examples, replaced by the test repository's.
	exampleHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	exampleBase = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
)

// testRepoCommits are the commits of the test repository.
type testRepoCommits struct {
	base     string // ecosystem.config.js with one app, no wait_ready
	many     string // 60 apps with wait_ready: 60 findings
	few      string // 3 apps with wait_ready
	reverted string // ecosystem.config.js back to base, README changed
	readme   string // from base: README only (no PM2 impact)
}

func ecosystem(apps, withWaitReady int) string {
	var b strings.Builder
	b.WriteString("module.exports = {\n  apps: [\n")
	for i := range apps {
		fmt.Fprintf(&b, "    { name: 'app%d', script: 'app.js',", i)
		if i < withWaitReady {
			b.WriteString(" wait_ready: true,")
		}
		b.WriteString(" },\n")
	}
	b.WriteString("  ],\n};\n")
	return b.String()
}

// gitWork is a work tree where a test writes and commits files with the
// git command, at fixed dates so SHAs are stable.
type gitWork struct {
	t   testing.TB
	dir string
	env []string
}

func newGitWork(t testing.TB) *gitWork {
	t.Helper()
	w := &gitWork{t: t, dir: t.TempDir(), env: append(os.Environ(),
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")}
	w.run("init", "-q", "-b", "main")
	return w
}

func (w *gitWork) run(args ...string) string {
	w.t.Helper()
	return gitIn(w.t, w.dir, w.env, args...)
}

func gitIn(t testing.TB, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (w *gitWork) write(name, content string) {
	w.t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func (w *gitWork) commit(msg string) string {
	w.t.Helper()
	w.run("add", "-A")
	w.run("commit", "-q", "-m", msg)
	return w.run("rev-parse", "HEAD")
}

// publish clones the work tree's branches as the bare repository
// root/Codertocat/Hello-World.git, fetchable by SHA as from GitHub.
func (w *gitWork) publish(root string) {
	w.t.Helper()
	bare := filepath.Join(root, testOwner, testRepo+".git")
	w.run("clone", "-q", "--bare", w.dir, bare)
	gitIn(w.t, bare, w.env, "config", "uploadpack.allowAnySHA1InWant", "true")
}

// newGitRepo builds the test repository as a bare repository under
// root/Codertocat/Hello-World.git and returns its commits.
func newGitRepo(t testing.TB, root string) testRepoCommits {
	t.Helper()
	w := newGitWork(t)
	var c testRepoCommits
	w.write("ecosystem.config.js", ecosystem(1, 0))
	w.write("app.js", "console.log('hi')\n")
	w.write("README.md", "# test\n")
	c.base = w.commit("base")
	w.write("ecosystem.config.js", ecosystem(60, 60))
	c.many = w.commit("many")
	w.write("ecosystem.config.js", ecosystem(3, 3))
	c.few = w.commit("few")
	w.write("ecosystem.config.js", ecosystem(1, 0))
	w.write("README.md", "# test\n\nmore\n")
	c.reverted = w.commit("reverted")
	w.run("checkout", "-q", "-b", "docs", c.base)
	w.write("README.md", "# docs only\n")
	c.readme = w.commit("readme")
	w.publish(root)
	return c
}

// gitServer serves root over smart HTTP with git http-backend, asking for
// the installation token as basic auth.
type gitServer struct {
	*httptest.Server
	fetches atomic.Int64
	// fail502 git-upload-pack requests still to answer 502.
	fail502 atomic.Int64
}

func newGitServer(t testing.TB, root, token string) *gitServer {
	t.Helper()
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	backend := &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1"},
	}
	gs := &gitServer{}
	gs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != "x-access-token" || pass != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			gs.fetches.Add(1)
			if gs.fail502.Add(-1) >= 0 {
				http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
				return
			}
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(gs.Close)
	return gs
}

// goGitFetcher fetches the given commits into memory with go-git, as the
// real audit/change.Fetch will.
type goGitFetcher struct{}

func (goGitFetcher) Fetch(ctx context.Context, cloneURL, token string, shas ...string) (*git.Repository, func(), error) {
	repo, err := goGitFetch(ctx, cloneURL, token, shas...)
	return repo, func() {}, err
}

func goGitFetch(ctx context.Context, cloneURL, token string, shas ...string) (*git.Repository, error) {
	repo, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		return nil, err
	}
	remote, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{cloneURL}})
	if err != nil {
		return nil, err
	}
	var specs []config.RefSpec
	for i, sha := range shas {
		specs = append(specs, config.RefSpec(fmt.Sprintf("%s:refs/auditbot/%d", sha, i)))
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: specs,
		Auth:     &githttp.BasicAuth{Username: "x-access-token", Password: token},
		Tags:     git.NoTags,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	return repo, nil
}

// fakeAuditor reports one error per line of the head's ecosystem.config.js
// that sets wait_ready; the change has impact when that file differs.
type fakeAuditor struct {
	calls atomic.Int64
	// gate, when set, is waited on before each audit.
	gate chan struct{}
	// started is told of each audit's start when set.
	started chan string
}

func (a *fakeAuditor) Audit(ctx context.Context, repo *git.Repository, base, head string) (*audit.Document, error) {
	a.calls.Add(1)
	if a.started != nil {
		a.started <- head
	}
	if a.gate != nil {
		select {
		case <-a.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	file := func(sha string) (string, error) {
		c, err := repo.CommitObject(plumbing.NewHash(sha))
		if err != nil {
			return "", fmt.Errorf("commit %s: %w", sha, err)
		}
		f, err := c.File("ecosystem.config.js")
		if err != nil {
			return "", err
		}
		return f.Contents()
	}
	b, err := file(base)
	if err != nil {
		return nil, err
	}
	h, err := file(head)
	if err != nil {
		return nil, err
	}
	doc := &audit.Document{Schema: audit.SchemaVersion, Base: audit.Commit{SHA: base}, Head: audit.Commit{SHA: head}, Impact: b != h}
	doc.Summary.Verdict = "none"
	if !doc.Impact {
		return doc, nil
	}
	for i, line := range strings.Split(h, "\n") {
		if strings.Contains(line, "wait_ready") {
			doc.Findings = append(doc.Findings, audit.Finding{
				Rule: "listen-timeout-without-effect", Severity: "error", State: audit.Introduced,
				Path: "ecosystem.config.js", Line: i + 1, LineChange: "added", Message: testMessage("api"),
			})
		}
	}
	doc.Summary.Errors = len(doc.Findings)
	doc.Summary.Introduced = len(doc.Findings)
	doc.Summary.Verdict = "pass"
	if len(doc.Findings) > 0 {
		doc.Summary.Verdict = "fail"
	}
	return doc, nil
}

// fakeRenderer lists the findings; huge ignores maxBytes and writes more
// than GitHub takes, leaving a <details> block and a code fence open.
type fakeRenderer struct{ huge bool }

func (r fakeRenderer) Render(doc *audit.Document, opt RenderOptions) (string, error) {
	lang, maxBytes := opt.Lang, opt.MaxBytes
	var b strings.Builder
	fmt.Fprintf(&b, "## auditbot (%s)\n\nhead `%s`: %d findings\n\n", lang, doc.Head.SHA, len(doc.Findings))
	for _, f := range doc.Findings {
		fmt.Fprintf(&b, "- `%s:%d` %s\n", f.Path, f.Line, f.Message.ID)
	}
	if r.huge {
		b.WriteString("\n<details><summary>evidence</summary>\n\n```js\n")
		for b.Len() < 100_000 {
			b.WriteString("// línea de evidencia con acentos: ñáéíóú\n")
		}
		return b.String(), nil
	}
	if b.Len() > maxBytes {
		return "", fmt.Errorf("report of %d bytes over %d", b.Len(), maxBytes)
	}
	return b.String(), nil
}

// fakeGitHub answers the REST calls with the documented examples in
// testdata/github/rest, adapted to the test's state.
type fakeGitHub struct {
	*httptest.Server
	t    testing.TB
	auth string // expected Authorization on REST calls

	mu          sync.Mutex
	head, base  string
	state       string
	comments    []fakeComment
	nextComment int64
	checks      map[int64]*fakeCheck
	nextCheck   int64
	fail        map[string]int // "METHOD route" → 502s still to answer
	failAfter   map[string]int // same, but the request is processed first
	limit       map[string]int // secondary rate limit answers still to give
	gitDir      string         // the bare repository, for the compare API
	noCompare   bool           // the compare API answers 404
	requests    []string
	tokenCalls  int
	// hookDeliveries are the App's deliveries, newest first (GET
	// /app/hook/deliveries); redelivered, the ids asked to be redelivered.
	hookDeliveries []map[string]any
	// prHeads, when set for a pull request, is its head instead of head.
	prHeads     map[int]string
	redelivered []int64
	created     int
	edited      int

	// comment templates, decoded once: GitHub's own work of answering,
	// which the load test should not pay for on the server's cores.
	commentTmpl sync.Map // file name → map[string]any
}

type fakeComment struct {
	pr   int
	id   int64
	body string
	edit int
	// foreign comments were written by someone else: editing them is
	// refused as GitHub refuses it to an App.
	foreign bool
}

type fakeCheck struct {
	head        string
	status      string
	conclusion  string
	annotations []int // annotations per request
	notes       []fakeAnnotation
	title       string
}

// fakeAnnotation is what the fake keeps of a check run annotation.
type fakeAnnotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	Level     string `json:"annotation_level"`
	Title     string `json:"title"`
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "github", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newFakeGitHub(t testing.TB, head, base string) *fakeGitHub {
	f := &fakeGitHub{t: t, head: head, base: base, state: "open", checks: map[int64]*fakeCheck{},
		fail: map[string]int{}, failAfter: map[string]int{}, limit: map[string]int{}, nextComment: 1000, nextCheck: 4,
		auth: "token " + testToken}
	// A comment by someone else is already there (the documented example).
	f.comments = append(f.comments, fakeComment{pr: 2, id: 1, body: "Me too"})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", f.accessToken)
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{n}", f.rest(f.getPull))
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{n}/files", f.rest(f.listFiles))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{n}/comments", f.rest(f.listComments))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{n}/comments", f.rest(f.createComment))
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/comments/{id}", f.rest(f.editComment))
	mux.HandleFunc("POST /repos/{owner}/{repo}/check-runs", f.rest(f.createCheck))
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/check-runs/{id}", f.rest(f.updateCheck))
	mux.HandleFunc("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", f.rest(f.listChecks))
	mux.HandleFunc("GET /repos/{owner}/{repo}/compare/{basehead}", f.rest(f.compare))
	mux.HandleFunc("GET /app/hook/deliveries", f.listDeliveries)
	mux.HandleFunc("POST /app/hook/deliveries/{id}/attempts", f.redeliver)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected GitHub call %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGitHub) setHead(head string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.head = head
}

func (f *fakeGitHub) failNext(route string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[route] = n
}

// template reads a documented example as a JSON object.
func (f *fakeGitHub) template(name string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(readTestdata(f.t, "rest/"+name), &m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck
}

func (f *fakeGitHub) accessToken(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		http.Error(w, "want a JWT", http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	f.tokenCalls++
	f.mu.Unlock()
	m := f.template("apps.create-installation-access-token.json")
	// The example expired in 2016; a token must be valid now.
	m["expires_at"] = time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	writeJSON(w, http.StatusCreated, m)
}

// rest wraps a REST handler: auth, repository, injected failures, log.
func (f *fakeGitHub) rest(h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != f.auth {
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
			return
		}
		if r.PathValue("owner") != testOwner || r.PathValue("repo") != testRepo {
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		route := r.Method + " " + r.Pattern[strings.Index(r.Pattern, " ")+1:]
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
		if f.fail[route] > 0 {
			f.fail[route]--
			f.mu.Unlock()
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
			return
		}
		if f.limit[route] > 0 {
			f.limit[route]--
			f.mu.Unlock()
			// GitHub's secondary rate limit answer.
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusForbidden, map[string]any{
				"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
				"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"})
			return
		}
		if f.failAfter[route] > 0 {
			f.failAfter[route]--
			f.mu.Unlock()
			h(httptest.NewRecorder(), r) // processed, answer lost
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
			return
		}
		f.mu.Unlock()
		h(w, r)
	}
}

func (f *fakeGitHub) getPull(w http.ResponseWriter, r *http.Request) {
	m := f.template("pulls.get.json")
	f.mu.Lock()
	n, _ := strconv.Atoi(r.PathValue("n"))
	m["number"] = n
	m["state"] = f.state
	m["head"].(map[string]any)["sha"] = f.head
	if h, ok := f.prHeads[n]; ok {
		m["head"].(map[string]any)["sha"] = h
	}
	m["base"].(map[string]any)["sha"] = f.base
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, m)
}

// page serves items page by page with a Link header, as GitHub does.
func page[T any](w http.ResponseWriter, r *http.Request, items []T) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p <= 0 {
		p = 1
	}
	lo, hi := min((p-1)*per, len(items)), min(p*per, len(items))
	if hi < len(items) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p+1))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
	}
	writeJSON(w, http.StatusOK, items[lo:hi])
}

func (f *fakeGitHub) listFiles(w http.ResponseWriter, r *http.Request) {
	var tmpl []map[string]any
	if err := json.Unmarshal(readTestdata(f.t, "rest/pulls.list-files.json"), &tmpl); err != nil {
		f.t.Fatal(err)
	}
	files := make([]map[string]any, 0, 130)
	for i := range 130 { // more than one page of 100
		m := map[string]any{}
		for k, v := range tmpl[0] {
			m[k] = v
		}
		m["filename"] = fmt.Sprintf("file%d.txt", i)
		files = append(files, m)
	}
	page(w, r, files)
}

func (f *fakeGitHub) commentJSON(name string, c fakeComment) map[string]any {
	tmpl, ok := f.commentTmpl.Load(name)
	if !ok {
		var m map[string]any
		raw := readTestdata(f.t, "rest/"+name)
		if raw[0] == '[' {
			var list []map[string]any
			if err := json.Unmarshal(raw, &list); err != nil {
				f.t.Fatal(err)
			}
			m = list[0]
		} else if err := json.Unmarshal(raw, &m); err != nil {
			f.t.Fatal(err)
		}
		tmpl, _ = f.commentTmpl.LoadOrStore(name, m)
	}
	// Only top-level keys are set: the nested values stay shared.
	m := maps.Clone(tmpl.(map[string]any))
	m["id"] = c.id
	m["body"] = c.body
	return m
}

func (f *fakeGitHub) listComments(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	var out []map[string]any
	// Pad with other people's comments so the marker is on a later page.
	for i := range 120 {
		out = append(out, f.commentJSON("issues.list-comments.json", fakeComment{id: int64(10 + i), body: "Me too"}))
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	for _, c := range f.comments {
		if c.pr == n {
			out = append(out, f.commentJSON("issues.list-comments.json", c))
		}
	}
	f.mu.Unlock()
	page(w, r, out)
}

func decodeBody(r *http.Request, v any) error {
	return json.NewDecoder(r.Body).Decode(v)
}

func tooLong(w http.ResponseWriter, body string) bool {
	if len([]rune(body)) > githubapi.MaxCommentBody {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed",
			"errors": []any{map[string]any{"resource": "IssueComment", "code": "custom", "field": "body",
				"message": "body is too long (maximum is 65536 characters)"}}})
		return true
	}
	return false
}

func (f *fakeGitHub) createComment(w http.ResponseWriter, r *http.Request) {
	var in struct{ Body string }
	if err := decodeBody(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if tooLong(w, in.Body) {
		return
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	f.mu.Lock()
	f.nextComment++
	c := fakeComment{pr: n, id: f.nextComment, body: in.Body}
	f.comments = append(f.comments, c)
	f.created++
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, f.commentJSON("issues.create-comment.json", c))
}

func (f *fakeGitHub) editComment(w http.ResponseWriter, r *http.Request) {
	var in struct{ Body string }
	if err := decodeBody(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if tooLong(w, in.Body) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.comments {
		if f.comments[i].id == id {
			if f.comments[i].foreign {
				writeJSON(w, http.StatusForbidden, map[string]any{"message": "Resource not accessible by integration"})
				return
			}
			f.comments[i].body = in.Body
			f.comments[i].edit++
			f.edited++
			writeJSON(w, http.StatusOK, f.commentJSON("issues.update-comment.json", f.comments[i]))
			return
		}
	}
	http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
}

type checkIn struct {
	HeadSHA    string `json:"head_sha"`
	Status     string `json:"status"`
	Conclusion string `json:"conclusion"`
	Output     *struct {
		Title       string           `json:"title"`
		Annotations []fakeAnnotation `json:"annotations"`
	} `json:"output"`
}

func (f *fakeGitHub) createCheck(w http.ResponseWriter, r *http.Request) {
	var in checkIn
	if err := decodeBody(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.nextCheck++
	id := f.nextCheck
	f.checks[id] = &fakeCheck{head: in.HeadSHA, status: in.Status}
	f.mu.Unlock()
	m := f.template("checks.create.in_progress.json")
	m["id"], m["head_sha"] = id, in.HeadSHA
	writeJSON(w, http.StatusCreated, m)
}

func (f *fakeGitHub) updateCheck(w http.ResponseWriter, r *http.Request) {
	var in checkIn
	if err := decodeBody(r, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f.mu.Lock()
	c, ok := f.checks[id]
	if !ok {
		f.mu.Unlock()
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		return
	}
	if in.Output != nil {
		if len(in.Output.Annotations) > githubapi.MaxAnnotationsPerRequest {
			f.mu.Unlock()
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Only 50 annotations are allowed per request"})
			return
		}
		c.annotations = append(c.annotations, len(in.Output.Annotations))
		c.notes = append(c.notes, in.Output.Annotations...)
		c.title = in.Output.Title
	}
	if in.Status != "" {
		c.status, c.conclusion = in.Status, in.Conclusion
	}
	head := c.head
	f.mu.Unlock()
	m := f.template("checks.create.completed.json")
	m["id"], m["head_sha"] = id, head
	writeJSON(w, http.StatusOK, m)
}

func (f *fakeGitHub) listChecks(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	var runs []any
	for id, c := range f.checks {
		if c.head == r.PathValue("ref") && c.status == r.URL.Query().Get("status") {
			m := f.template("checks.create.in_progress.json")
			m["id"], m["head_sha"] = id, c.head
			runs = append(runs, m)
		}
	}
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(runs), "check_runs": runs})
}

// compare answers the compare API with the documented example, its
// commits and counts computed by git in the served repository as GitHub
// computes them: the merge base of BASE and HEAD, how far HEAD is ahead of
// it and BASE ahead of it.
func (f *fakeGitHub) compare(w http.ResponseWriter, r *http.Request) {
	base, head, ok := strings.Cut(r.PathValue("basehead"), "...")
	f.mu.Lock()
	dir, missing := f.gitDir, f.noCompare
	f.mu.Unlock()
	if !ok || missing || dir == "" || !isSHA(base) || !isSHA(head) {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Not Found",
			"documentation_url": "https://docs.github.com/rest/commits/commits#compare-two-commits"})
		return
	}
	// Not gitIn: a handler must not end the test from its goroutine.
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	mb, err := git("merge-base", base, head)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "No common ancestor between " + base + " and " + head + "."})
		return
	}
	aheadS, err1 := git("rev-list", "--count", mb+".."+head)
	behindS, err2 := git("rev-list", "--count", mb+".."+base)
	if err := errors.Join(err1, err2); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ahead, _ := strconv.Atoi(aheadS)
	behind, _ := strconv.Atoi(behindS)
	status := "diverged"
	switch {
	case ahead == 0 && behind == 0:
		status = "identical"
	case behind == 0:
		status = "ahead"
	case ahead == 0:
		status = "behind"
	}
	m := f.template("repos.compare-commits.json")
	m["base_commit"].(map[string]any)["sha"] = base
	m["merge_base_commit"].(map[string]any)["sha"] = mb
	m["status"], m["ahead_by"], m["behind_by"], m["total_commits"] = status, ahead, behind, ahead
	last := m["commits"].([]any)[0].(map[string]any)
	last["sha"] = head
	writeJSON(w, http.StatusOK, m)
}

// snapshot copies the state for assertions.
func (f *fakeGitHub) snapshot() (comments []fakeComment, checks map[int64]fakeCheck, created, edited int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	checks = map[int64]fakeCheck{}
	for id, c := range f.checks {
		checks[id] = *c
	}
	return append([]fakeComment(nil), f.comments...), checks, f.created, f.edited
}

// reportComments are the comments carrying the marker.
func (f *fakeGitHub) reportComments() []fakeComment {
	comments, _, _, _ := f.snapshot()
	var out []fakeComment
	for _, c := range comments {
		if strings.HasPrefix(c.body, commentMarker) {
			out = append(out, c)
		}
	}
	return out
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one end-to-end setup: the real server on httptest, a fake
// GitHub, a git server and the test repository.
type env struct {
	t        testing.TB
	commits  testRepoCommits
	gh       *fakeGitHub
	git      *gitServer
	auditor  *fakeAuditor
	srv      *Server
	http     *httptest.Server
	logs     *syncBuffer
	key      []byte
	gitToken string
}

type envOptions struct {
	// repo, when set, builds the served repository under root instead of
	// newGitRepo and returns the pull request's head and base.
	repo func(t testing.TB, root string) (head, base string)
	// engine serves with the real engine (Engine as Auditor, Renderer
	// and Fetcher) instead of the fakes.
	engine bool
	// cacheDir, with engine, gives the engine a repository cache there.
	cacheDir string
	// fetcher, with engine, replaces the engine as the Fetcher.
	fetcher Fetcher
	// cloneURL, when set, rewrites the git server's URL of the
	// repository into the clone URL the server is given.
	cloneURL  func(gitURL string) string
	renderer  Renderer
	auditor   *fakeAuditor
	workers   int
	queue     int
	tokenMode bool
	gitToken  string // token the git server wants; default testToken
	quiet     bool   // log to nowhere (load test)
	postgres  bool   // queue in PostgreSQL (AUDITBOT_TEST_DATABASE_URL), else SQLite
}

func testKey(t testing.TB) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	root := t.TempDir()
	e := &env{t: t, logs: &syncBuffer{}}
	head, base := "", ""
	if o.repo != nil {
		head, base = o.repo(t, root)
		e.commits.base = base // payload() puts it as the base
	} else {
		e.commits = newGitRepo(t, root)
		head, base = e.commits.many, e.commits.base
	}
	e.gitToken = o.gitToken
	if e.gitToken == "" {
		e.gitToken = testToken
		if o.tokenMode {
			e.gitToken = testPAT
		}
	}
	e.git = newGitServer(t, root, e.gitToken)
	e.gh = newFakeGitHub(t, head, base)
	e.gh.gitDir = filepath.Join(root, testOwner, testRepo+".git")
	e.auditor = o.auditor
	if e.auditor == nil {
		e.auditor = &fakeAuditor{}
	}
	if o.renderer == nil {
		o.renderer = fakeRenderer{}
	}
	cfg := Config{
		WebhookSecret: testSecret,
		BaseURL:       e.gh.URL + "/",
		Workers:       max(o.workers, 2),
		QueueSize:     max(o.queue, 20),
		Lang:          "es",
		GitHubTimeout: 10 * time.Second,
		Retry:         githubapi.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
		DataDir:       t.TempDir(),
		JobRetry:      JobRetryPolicy{MaxAttempts: 5, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond},
	}
	if o.postgres {
		cfg.DatabaseURL, cfg.DatabaseSchema = testPostgres(t)
	} else {
		seedSQLite(t, cfg.DataDir)
	}
	if o.workers == 1 {
		cfg.Workers = 1
	}
	if o.queue > 0 {
		cfg.QueueSize = o.queue
	}
	if o.tokenMode {
		cfg.Token = testPAT
		e.gh.auth = "Bearer " + cfg.Token
	} else {
		e.key = testKey(t)
		cfg.AppID, cfg.PrivateKey = 42, e.key
	}
	deps := Deps{
		Auditor:  e.auditor,
		Renderer: o.renderer,
		Fetcher:  goGitFetcher{},
		CloneURL: func(owner, repo string) (string, error) {
			u := e.git.URL + "/" + owner + "/" + repo + ".git"
			if o.cloneURL != nil {
				u = o.cloneURL(u)
			}
			return u, nil
		},
	}
	if o.engine {
		eng := Engine{Version: "test", Now: func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }}
		if o.cacheDir != "" {
			cache, err := repocache.New(repocache.Config{Dir: o.cacheDir})
			if err != nil {
				t.Fatal(err)
			}
			eng.Cache = cache
		}
		deps.Auditor, deps.Renderer, deps.Fetcher = eng, eng, eng
		if o.fetcher != nil {
			deps.Fetcher = o.fetcher
		}
	}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if o.quiet {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := NewServer(cfg, deps, logger)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		e.http.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx) //nolint:errcheck
		e.assertNoSecretsLogged()
	})
	return e
}

// assertNoSecretsLogged fails when a secret reached the logs.
func (e *env) assertNoSecretsLogged() {
	logs := e.logs.String()
	secrets := []string{testSecret, e.gitToken, "PRIVATE KEY"}
	if len(e.key) > 0 {
		// Any line of the key's base64 body.
		secrets = append(secrets, strings.Split(string(e.key), "\n")[1])
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			e.t.Errorf("a secret (%.6s…) was logged", s)
		}
	}
}

// payload reads a webhook example with its SHAs replaced by the test's.
func (e *env) payload(name, head string) []byte {
	b := readTestdata(e.t, "webhooks/"+name)
	b = bytes.ReplaceAll(b, []byte(exampleHead), []byte(head))
	return bytes.ReplaceAll(b, []byte(exampleBase), []byte(e.commits.base))
}

func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// deliver posts a signed delivery and returns the status.
func (e *env) deliver(event, id string, body []byte) int {
	e.t.Helper()
	return e.deliverSigned(event, id, body, sign(testSecret, body))
}

func (e *env) deliverSigned(event, id string, body []byte, signature string) int {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.http.URL+"/webhook", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/test")
	req.Header.Set(headerEvent, event)
	req.Header.Set(headerDelivery, id)
	if signature != "" {
		req.Header.Set(headerSignature, signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck
	resp.Body.Close()
	return resp.StatusCode
}

// idle waits until no job is in hand.
func (e *env) idle() {
	e.t.Helper()
	e.idleWithin(20 * time.Second)
}

func (e *env) idleWithin(wait time.Duration) {
	e.t.Helper()
	waitIdle(e.t, e.srv, wait, e.logs.String)
}

// waitIdle waits until the queue has no unfinished audit job.
func waitIdle(t testing.TB, s *Server, wait time.Duration, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		n, err := s.store.unfinished(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still unfinished after %v; logs:\n%s", n, wait, logs())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
