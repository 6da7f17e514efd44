package change

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// FuzzResolve: any range text gives a range or an error, never a panic,
// and a range always has a head.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"", "HEAD", "HEAD~1..HEAD", "a...b", "..", "...", "....", "master^2", "v2^{}",
		"HEAD@{0}", ":/msg", "HEAD^{/fix}", "^", "~", "HEAD~99999999999999999999", "\x00", "master..feature..x"} {
		f.Add(s)
	}
	fx, _ := history(f)
	repo := openRepo(f, fx)
	f.Fuzz(func(t *testing.T, spec string) {
		r, err := Resolve(t.Context(), repo, spec)
		if err == nil && r.Head == nil {
			t.Fatalf("Resolve(%q) returned a range without head", spec)
		}
	})
}

// FuzzSnapshotPath: no path names anything outside the tree or goes through
// a link; invalid paths are rejected with fs.ErrInvalid.
func FuzzSnapshotPath(f *testing.F) {
	for _, s := range []string{".", "a", "app/passwd", "../x", "/etc/passwd", "linkdir/x", "a//b", "a/./b", "", "vendor/mod/x"} {
		f.Add(s)
	}
	fx := changetest.NewDiskFixture(f)
	h := fx.Commit("c", changetest.Tree{
		"app/x.js":   changetest.Text("x\n"),
		"app/passwd": changetest.Link("../../etc/passwd"),
		"linkdir":    changetest.Link("app"),
		"vendor/mod": changetest.Gitlink(subSHA),
	})
	repo := openRepo(f, fx)
	c, err := repo.CommitObject(h)
	if err != nil {
		f.Fatal(err)
	}
	s, err := NewSnapshot(repo, c)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		b, err := s.ReadFile(name)
		if !fs.ValidPath(name) && !errors.Is(err, fs.ErrInvalid) {
			t.Fatalf("ReadFile(%q) = %v, want ErrInvalid", name, err)
		}
		if err == nil && string(b) != "x\n" {
			t.Fatalf("ReadFile(%q) read %q", name, b)
		}
		_, _ = s.Stat(name)
		_, _ = s.ReadDir(name)
	})
}
