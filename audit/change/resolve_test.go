package change

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

func TestOpenFindsRootUpwards(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	f.Ref("refs/heads/master", f.Commit("c1", changetest.Tree{"a": changetest.Text("a\n")}))
	sub := filepath.Join(f.Dir(), "x", "y")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	_, root, err := Open(t.Context(), sub)
	if err != nil {
		t.Fatal(err)
	}
	if root != f.Dir() {
		t.Errorf("root = %q, want %q", root, f.Dir())
	}
}

func TestOpenNotARepository(t *testing.T) {
	dir := t.TempDir()
	_, _, err := Open(t.Context(), dir)
	if !errors.Is(err, ErrNotRepository) {
		t.Fatalf("err = %v, want ErrNotRepository", err)
	}
	if want := "not a git repository: " + dir; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

// A linked work tree (git worktree add) keeps its objects in the main
// repository's common dir: Open must find them.
func TestOpenLinkedWorktree(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	c := f.Commit("c1", changetest.Tree{"a": changetest.Text("a\n")})
	f.Ref("refs/heads/master", c)
	linked := filepath.Join(t.TempDir(), "linked")
	changetest.Git(t, f.Dir(), "worktree", "add", "-q", "-b", "other", linked, "master")
	repo, root, err := Open(t.Context(), filepath.Join(linked))
	if err != nil {
		t.Fatal(err)
	}
	if root != linked {
		t.Errorf("root = %q, want %q", root, linked)
	}
	r, err := Resolve(t.Context(), repo, "other")
	if err != nil {
		t.Fatal(err)
	}
	if r.Head.Hash != c || r.Base != nil {
		t.Errorf("Resolve(other) = %v..%v, want empty..%s", r.Base, r.Head.Hash, c)
	}
}

// history builds:
//
//	c1 - c2 - c3            master (HEAD), tag v2 (annotated) at c3, v1 at c2
//	       \
//	        f1 - f2         feature
//	c3 + f2 -> m            merged (m^2 = f2)
func history(t testing.TB) (*changetest.Fixture, map[string]plumbing.Hash) {
	f := changetest.NewDiskFixture(t)
	h := map[string]plumbing.Hash{}
	h["c1"] = f.Commit("c1", changetest.Tree{"a": changetest.Text("1\n")})
	h["c2"] = f.Commit("c2", changetest.Tree{"a": changetest.Text("2\n")}, h["c1"])
	h["c3"] = f.Commit("c3", changetest.Tree{"a": changetest.Text("3\n")}, h["c2"])
	h["f1"] = f.Commit("f1", changetest.Tree{"a": changetest.Text("2\n"), "f": changetest.Text("f1\n")}, h["c2"])
	h["f2"] = f.Commit("f2", changetest.Tree{"a": changetest.Text("2\n"), "f": changetest.Text("f2\n")}, h["f1"])
	h["m"] = f.Commit("m", changetest.Tree{"a": changetest.Text("3\n"), "f": changetest.Text("f2\n")}, h["c3"], h["f2"])
	f.Ref("refs/heads/master", h["c3"])
	f.Ref("refs/heads/feature", h["f2"])
	f.Ref("refs/heads/merged", h["m"])
	f.Ref("refs/tags/v1", h["c2"])
	f.AnnotatedTag("v2", h["c3"])
	return f, h
}

func TestResolve(t *testing.T) {
	f, h := history(t)
	repo := openRepo(t, f)
	tests := []struct {
		spec             string
		base, head       string // keys of h; base "" = empty tree
		baseRev, headRev string
		mergeBase        bool
	}{
		{"", "c2", "c3", "HEAD~1", "HEAD", false},
		{h["c1"].String() + ".." + h["c3"].String(), "c1", "c3", h["c1"].String(), h["c3"].String(), false},
		{h["c1"].String()[:7] + ".." + h["c2"].String()[:10], "c1", "c2", h["c1"].String()[:7], h["c2"].String()[:10], false},
		{"master~2..master", "c1", "c3", "master~2", "master", false},
		{"HEAD~1..HEAD", "c2", "c3", "HEAD~1", "HEAD", false},
		{"feature...master", "c2", "c3", "feature", "master", true},
		{"master...feature", "c2", "f2", "master", "feature", true},
		{"...feature", "c2", "f2", "HEAD", "feature", true},
		{"feature..", "f2", "c3", "feature", "HEAD", false},
		{"..feature", "c3", "f2", "HEAD", "feature", false},
		{h["c2"].String(), "c1", "c2", h["c2"].String() + "^", h["c2"].String(), false},
		{h["c1"].String(), "", "c1", "", h["c1"].String(), false},
		{"HEAD^", "c1", "c2", "HEAD^^", "HEAD^", false},
		{"v2", "c2", "c3", "v2^", "v2", false},
		{"v1..v2", "c2", "c3", "v1", "v2", false},
		{"merged^2", "f1", "f2", "merged^2^", "merged^2", false},
		{"merged", "c3", "m", "merged^", "merged", false},
		{"feature~1", "c2", "f1", "feature~1^", "feature~1", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			r, err := Resolve(t.Context(), repo, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if r.Head == nil || r.Head.Hash != h[tt.head] {
				t.Errorf("head = %v, want %s", r.Head, tt.head)
			}
			switch {
			case tt.base == "" && r.Base != nil:
				t.Errorf("base = %s, want the empty tree", r.Base.Hash)
			case tt.base != "" && (r.Base == nil || r.Base.Hash != h[tt.base]):
				t.Errorf("base = %v, want %s", r.Base, tt.base)
			}
			if r.BaseRev != tt.baseRev || r.HeadRev != tt.headRev || r.MergeBase != tt.mergeBase {
				t.Errorf("revs = %q %q %v, want %q %q %v", r.BaseRev, r.HeadRev, r.MergeBase, tt.baseRev, tt.headRev, tt.mergeBase)
			}
		})
	}
}

func TestResolveUnknownRevision(t *testing.T) {
	f, h := history(t)
	repo := openRepo(t, f)
	for _, tt := range []struct{ spec, rev string }{
		{"nope", "nope"},
		{"nope..HEAD", "nope"},
		{"HEAD..nope", "nope"},
		{"nope...HEAD", "nope"},
		{"HEAD~10", "HEAD~10"},
		{"master^2", "master^2"}, // master has one parent
		{"deadbeef", "deadbeef"},
		{h["c1"].String()[:6] + "zz", h["c1"].String()[:6] + "zz"},
		{"HEAD@{", "HEAD@{"},
	} {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := Resolve(t.Context(), repo, tt.spec)
			if !errors.Is(err, ErrUnknownRevision) {
				t.Fatalf("err = %v, want ErrUnknownRevision", err)
			}
			if want := `unknown revision "` + tt.rev + `"`; err.Error() != want {
				t.Errorf("message = %q, want %q", err, want)
			}
		})
	}
}

func TestResolveDefaultOnRootCommit(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	c := f.Commit("root", changetest.Tree{"a": changetest.Text("a\n")})
	f.Ref("refs/heads/master", c)
	r, err := Resolve(t.Context(), openRepo(t, f), "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Base != nil || r.Head.Hash != c || r.BaseRev != "" {
		t.Errorf("Resolve(\"\") on a root commit = %+v, want empty tree..root", r)
	}
}

func TestResolveEmptyRepository(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	_, err := Resolve(t.Context(), openRepo(t, f), "")
	if !errors.Is(err, ErrUnknownRevision) || !strings.Contains(err.Error(), `"HEAD"`) {
		t.Fatalf("err = %v, want unknown revision \"HEAD\"", err)
	}
}

func TestResolveUnrelatedHistories(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	f.Ref("refs/heads/master", f.Commit("a", changetest.Tree{"a": changetest.Text("a\n")}))
	f.Ref("refs/heads/other", f.Commit("b", changetest.Tree{"b": changetest.Text("b\n")}))
	_, err := Resolve(t.Context(), openRepo(t, f), "master...other")
	if err == nil || !strings.Contains(err.Error(), "no merge base") {
		t.Fatalf("err = %v, want no merge base", err)
	}
}

// go-git would read merged^3 as merged^2: Resolve must refuse it.
func TestResolveRefusesCaretBeyondTwo(t *testing.T) {
	f, _ := history(t)
	_, err := Resolve(t.Context(), openRepo(t, f), "merged^3")
	if err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}
