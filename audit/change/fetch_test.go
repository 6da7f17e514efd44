package change

import (
	"errors"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// smartHTTP serves the fixture's repository with git http-backend (the real
// smart-HTTP server) and returns its clone URL.
func smartHTTP(t *testing.T, f *changetest.Fixture) string {
	t.Helper()
	execPath := strings.TrimSpace(changetest.Git(t, f.Dir(), "--exec-path"))
	backend := filepath.Join(execPath, "git-http-backend")
	if _, err := exec.LookPath(backend); err != nil {
		t.Skipf("git http-backend not available: %v", err)
	}
	changetest.Git(t, f.Dir(), "config", "http.receivepack", "false")
	srv := httptest.NewServer(&cgi.Handler{
		Path: backend,
		Env: []string{
			"GIT_PROJECT_ROOT=" + f.Dir(),
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1",
			"HOME=" + t.TempDir(),
		},
	})
	t.Cleanup(srv.Close)
	return srv.URL + "/.git"
}

func TestFetchBySHAOverSmartHTTP(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	c1 := f.Commit("one", changetest.Tree{"ecosystem.config.js": changetest.Text("module.exports = {apps: []}\n"), "svc/a.js": changetest.Text("a\n")})
	c2 := f.Commit("two", changetest.Tree{"ecosystem.config.js": changetest.Text("module.exports = {apps: [1]}\n"), "svc/a.js": changetest.Text("a\n")}, c1)
	c3 := f.Commit("three", changetest.Tree{"ecosystem.config.js": changetest.Text("module.exports = {apps: [2]}\n"), "svc/a.js": changetest.Text("a2\n")}, c2)
	f.Ref("refs/heads/master", c3)
	url := smartHTTP(t, f)

	// Without allowAnySHA1InWant the server refuses wants by SHA.
	changetest.Git(t, f.Dir(), "config", "uploadpack.allowAnySHA1InWant", "false")
	if _, err := Fetch(t.Context(), url, nil, c1.String(), c3.String()); !errors.Is(err, git.ErrExactSHA1NotSupported) {
		t.Fatalf("Fetch without allowAnySHA1InWant: %v, want ErrExactSHA1NotSupported", err)
	}

	changetest.Git(t, f.Dir(), "config", "uploadpack.allowAnySHA1InWant", "true")
	repo, err := Fetch(t.Context(), url, nil, c1.String(), c3.String())
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(t.Context(), repo, c1.String()+".."+c3.String())
	if err != nil {
		t.Fatal(err)
	}
	changes, err := Changes(t.Context(), repo, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].Path != "ecosystem.config.js" || changes[1].Path != "svc/a.js" {
		t.Errorf("changes = %+v", changes)
	}
	p, err := Hunks(t.Context(), repo, changes[0])
	if err != nil || len(p.Hunks) != 1 {
		t.Fatalf("hunks = %+v, %v", p, err)
	}
	s, err := NewSnapshot(repo, r.Head)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := s.ReadFile("svc/a.js"); err != nil || string(b) != "a2\n" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	// Depth 1: the commit between them was not fetched.
	if _, err := repo.CommitObject(c2); !errors.Is(err, plumbing.ErrObjectNotFound) {
		t.Errorf("intermediate commit present: %v", err)
	}
	if _, err := repo.Reference(plumbing.ReferenceName(FetchRefPrefix+c3.String()), false); err != nil {
		t.Errorf("ref for head: %v", err)
	}
}

func TestFetchErrors(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	c := f.Commit("one", changetest.Tree{"a": changetest.Text("a\n")})
	f.Ref("refs/heads/master", c)
	url := smartHTTP(t, f)
	changetest.Git(t, f.Dir(), "config", "uploadpack.allowAnySHA1InWant", "true")
	for _, tt := range []struct {
		name string
		shas []string
		want string
	}{
		{"no sha", nil, "no commit"},
		{"short sha", []string{c.String()[:7]}, "not a full commit SHA"},
		{"branch name", []string{"master"}, "not a full commit SHA"},
		{"unknown sha", []string{strings.Repeat("ab", 20)}, "fetch 1 commit(s)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fetch(t.Context(), url, nil, tt.shas...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestFetchRedactsCredentials(t *testing.T) {
	_, err := Fetch(t.Context(), "http://x-access-token:s3cr3t@127.0.0.1:1/repo.git", nil, strings.Repeat("ab", 20))
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("err = %v: must fail without the token", err)
	}
}
