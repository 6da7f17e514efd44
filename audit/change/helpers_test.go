package change

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// entry is one file of a test commit: its content and mode (regular when
// zero). For a submodule, content is the commit SHA it points at.
type entry struct {
	content string
	mode    filemode.FileMode
}

// files maps slash paths to entries.
type files map[string]entry

func text(s string) entry    { return entry{content: s} }
func link(to string) entry   { return entry{content: to, mode: filemode.Symlink} }
func gitlink(h string) entry { return entry{content: h, mode: filemode.Submodule} }

// fixture is a repository built object by object, so every kind of entry
// (symlinks, submodules, binaries) is possible without a work tree.
type fixture struct {
	t    testing.TB
	dir  string
	repo *git.Repository
	tick int
}

// newFixture creates a non-bare repository on disk in a temp directory.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, dir: dir, repo: repo}
}

func (f *fixture) store(o interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	f.t.Helper()
	obj := f.repo.Storer.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		f.t.Fatal(err)
	}
	h, err := f.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

func (f *fixture) blob(content string) plumbing.Hash {
	f.t.Helper()
	obj := f.repo.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		f.t.Fatal(err)
	}
	w.Close()
	h, err := f.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// tree writes the tree of fs (paths relative to prefix) and returns its hash.
func (f *fixture) tree(fs files) plumbing.Hash {
	f.t.Helper()
	sub := map[string]files{}
	var entries []object.TreeEntry
	for p, e := range fs {
		if i := strings.IndexByte(p, '/'); i >= 0 {
			if sub[p[:i]] == nil {
				sub[p[:i]] = files{}
			}
			sub[p[:i]][p[i+1:]] = e
			continue
		}
		mode := e.mode
		if mode == 0 {
			mode = filemode.Regular
		}
		var h plumbing.Hash
		if mode == filemode.Submodule {
			h = plumbing.NewHash(e.content)
		} else {
			h = f.blob(e.content)
		}
		entries = append(entries, object.TreeEntry{Name: p, Mode: mode, Hash: h})
	}
	for name, fs := range sub {
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: f.tree(fs)})
	}
	// Git's order: names compared as if directories ended with '/'.
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	return f.store(&object.Tree{Entries: entries})
}

// commit writes a commit of fs with the given parents, at a fixed date.
func (f *fixture) commit(msg string, fs files, parents ...plumbing.Hash) plumbing.Hash {
	f.t.Helper()
	f.tick++
	sig := object.Signature{Name: "Test", Email: "test@example.com",
		When: time.Date(2024, 1, 1, 0, f.tick, 0, 0, time.UTC)}
	return f.store(&object.Commit{Author: sig, Committer: sig, Message: msg + "\n",
		TreeHash: f.tree(fs), ParentHashes: parents})
}

// ref points a reference (refs/heads/x, refs/tags/x) at h.
func (f *fixture) ref(name string, h plumbing.Hash) {
	f.t.Helper()
	if err := f.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		f.t.Fatal(err)
	}
}

// annotatedTag creates refs/tags/name as an annotated tag of commit h.
func (f *fixture) annotatedTag(name string, h plumbing.Hash) {
	f.t.Helper()
	tag := &object.Tag{Name: name, Tagger: object.Signature{Name: "T", Email: "t@example.com",
		When: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}, Message: "tag\n",
		TargetType: plumbing.CommitObject, Target: h}
	f.ref("refs/tags/"+name, f.store(tag))
}

// open reopens the fixture through Open, as the CLI would.
func (f *fixture) open() *git.Repository {
	f.t.Helper()
	repo, _, err := Open(f.t.Context(), f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	return repo
}

// gitCLI runs the git command line in dir (tests only, to cross-check).
func gitCLI(t testing.TB, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git CLI not installed")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

var _ storer.EncodedObjectStorer = (*syncStorage)(nil)

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

func mustHash(s string) plumbing.Hash {
	if !plumbing.IsHash(s) {
		panic("not a hash: " + s)
	}
	return plumbing.NewHash(s)
}

// pack repacks every object into one packfile and removes the loose copies,
// so reads go through go-git's packfile code (index, deltas, large objects).
func (f *fixture) pack() {
	f.t.Helper()
	if err := f.repo.RepackObjects(&git.RepackConfig{}); err != nil {
		f.t.Fatal(err)
	}
	objects := filepath.Join(f.dir, ".git", "objects")
	dirs, err := os.ReadDir(objects)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, d := range dirs {
		if len(d.Name()) == 2 {
			if err := os.RemoveAll(filepath.Join(objects, d.Name())); err != nil {
				f.t.Fatal(err)
			}
		}
	}
}
