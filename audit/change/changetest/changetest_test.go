package changetest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

const sub = "0123456789abcdef0123456789abcdef01234567"

// every has one entry of each kind, and names whose order differs
// between a plain sort and git's ('-' and '.' sort before '/').
var every = Tree{
	"a/b.js":   Text("b\n"),
	"a.b":      Text("dot\n"),
	"a-b":      Text("dash\n"),
	"a0":       Text("zero\n"),
	"run.sh":   {Content: "#!/bin/sh\n", Mode: filemode.Executable},
	"out":      Link("../../etc/passwd"),
	"vendor/m": Gitlink(sub),
}

// TestTree protects the shape of written trees: git's entry order, one
// tree per directory, each entry's mode, and gitlinks kept as given.
func TestTree(t *testing.T) {
	f := NewFixture(t)
	root, err := f.Repo().TreeObject(f.Tree(every))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range root.Entries {
		got = append(got, e.Name+":"+e.Mode.String())
	}
	want := "a-b:0100644 a.b:0100644 a:0040000 a0:0100644 out:0120000 run.sh:0100755 vendor:0040000"
	if strings.Join(got, " ") != want {
		t.Errorf("root entries\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	for path, want := range map[string]string{"a/b.js": "b\n", "out": "../../etc/passwd"} {
		file, err := root.File(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if s, err := file.Contents(); err != nil || s != want {
			t.Errorf("%s = %q, %v; want %q", path, s, err, want)
		}
	}
	e, err := root.FindEntry("vendor/m")
	if err != nil || e.Mode != filemode.Submodule || e.Hash != plumbing.NewHash(sub) {
		t.Errorf("gitlink = %+v, %v", e, err)
	}
}

// TestCommit protects commits: tree, parents, message, fixed dates a
// minute apart, and the same hashes from one fixture to the next.
func TestCommit(t *testing.T) {
	build := func() (*Fixture, plumbing.Hash, plumbing.Hash) {
		f := NewFixture(t)
		c1 := f.Commit("one", Tree{"a": Text("1\n")})
		c2 := f.Commit("two", every, c1)
		f.Ref("refs/heads/main", c2)
		return f, c1, c2
	}
	f, c1, c2 := build()
	c, err := f.Repo().CommitObject(c2)
	if err != nil {
		t.Fatal(err)
	}
	if c.Message != "two\n" || len(c.ParentHashes) != 1 || c.ParentHashes[0] != c1 || c.TreeHash != f.Tree(every) {
		t.Errorf("commit %+v", c)
	}
	if want := time.Date(2026, 3, 1, 10, 2, 0, 0, time.UTC); !c.Author.When.Equal(want) || !c.Committer.When.Equal(want) {
		t.Errorf("second commit dated %v, want %v", c.Author.When, want)
	}
	ref, err := f.Repo().Reference("refs/heads/main", false)
	if err != nil || ref.Hash() != c2 {
		t.Errorf("refs/heads/main = %v, %v", ref, err)
	}
	if _, d1, d2 := build(); d1 != c1 || d2 != c2 {
		t.Errorf("rebuilt commits %s %s, want %s %s", d1, d2, c1, c2)
	}
}

// TestAnnotatedTag protects the tag object between the ref and the commit.
func TestAnnotatedTag(t *testing.T) {
	f := NewFixture(t)
	c := f.Commit("c", Tree{"a": Text("a\n")})
	f.AnnotatedTag("v1", c)
	ref, err := f.Repo().Reference("refs/tags/v1", false)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := f.Repo().TagObject(ref.Hash())
	if err != nil || tag.Name != "v1" || tag.TargetType != plumbing.CommitObject || tag.Target != c {
		t.Errorf("tag %+v, %v", tag, err)
	}
}

func TestWith(t *testing.T) {
	base := Tree{"a": Text("a\n"), "b": Text("b\n")}
	got := base.With(Tree{"c": Link("a"), "a": Text("A\n")}, "b")
	if len(got) != 2 || got["a"].Content != "A\n" || got["c"] != Link("a") {
		t.Errorf("With = %+v", got)
	}
	if len(base) != 2 || base["a"].Content != "a\n" {
		t.Errorf("With changed its receiver: %+v", base)
	}
}

// TestDiskFixtureIsValidGit protects what tests on disk rely on: the
// repository is in Dir, git itself finds nothing wrong with the objects
// (fsck checks tree order and modes), and Pack leaves no loose objects
// behind while every object stays readable.
func TestDiskFixtureIsValidGit(t *testing.T) {
	f := NewDiskFixture(t)
	c := f.Commit("c", every)
	f.Ref("refs/heads/master", c)
	if _, err := os.Stat(filepath.Join(f.Dir(), ".git", "HEAD")); err != nil {
		t.Fatalf("no repository in Dir: %v", err)
	}
	if NewFixture(t).Dir() != "" {
		t.Error("an in-memory fixture has a Dir")
	}
	if _, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command("git", "fsck", "--strict", "--no-dangling")
		cmd.Dir = f.Dir()
		cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		// The gitlink's commit is absent by design; fsck does not follow gitlinks.
		if err := cmd.Run(); err != nil {
			t.Errorf("git fsck: %v\n%s", err, out.String())
		}
	}
	// go-git's repacking cannot walk symbolic links nor gitlinks (see Pack).
	f = NewDiskFixture(t)
	c = f.Commit("c", every.With(nil, "out", "vendor/m"))
	f.Ref("refs/heads/master", c)
	f.Pack()
	dirs, err := os.ReadDir(filepath.Join(f.Dir(), ".git", "objects"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if len(d.Name()) == 2 {
			t.Errorf("loose objects left in %s", d.Name())
		}
	}
	commit, err := f.Repo().CommitObject(c)
	if err != nil {
		t.Fatal(err)
	}
	file, err := commit.File("a/b.js")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := file.Contents(); err != nil || s != "b\n" {
		t.Errorf("a/b.js after Pack = %q, %v", s, err)
	}
}
