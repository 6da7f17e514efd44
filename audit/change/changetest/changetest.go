// Package changetest builds git repositories object by object for tests:
// blobs, trees in git's entry order, commits at fixed dates and
// references, written straight into go-git's storage. Without a work tree
// every kind of entry is possible: symbolic links (to anywhere),
// submodules (gitlinks to commits the repository does not have) and
// binary blobs. Repositories are the same, hash for hash, from run to run.
//
// It is for tests only; it must not import the packages it helps test
// (audit/change's own tests use it).
package changetest

import (
	"bytes"
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
	"github.com/go-git/go-git/v5/storage/memory"
)

// Entry is one file of a test commit: its content and mode (a regular
// file when Mode is zero). A symbolic link's content is its target; a
// submodule's is the SHA of the commit it points at.
type Entry struct {
	Content string
	Mode    filemode.FileMode
}

// Text is a regular file holding s.
func Text(s string) Entry { return Entry{Content: s} }

// Link is a symbolic link to target, which is never resolved.
func Link(target string) Entry { return Entry{Content: target, Mode: filemode.Symlink} }

// Gitlink is a submodule at commit sha (40 hex digits).
func Gitlink(sha string) Entry { return Entry{Content: sha, Mode: filemode.Submodule} }

// Tree maps slash-separated paths to entries; directories are implied
// by the paths.
type Tree map[string]Entry

// With returns a copy of t with the entries of add set and the paths in
// drop removed; t itself is not changed.
func (t Tree) With(add Tree, drop ...string) Tree {
	out := make(Tree, len(t)+len(add))
	for k, v := range t {
		out[k] = v
	}
	for k, v := range add {
		out[k] = v
	}
	for _, k := range drop {
		delete(out, k)
	}
	return out
}

// Fixture is a repository under construction. Its methods fail the test
// (tb.Fatal) on any storage error. A Fixture is not safe for concurrent
// use; the repository it built is, as far as go-git's storage is.
type Fixture struct {
	tb   testing.TB
	dir  string
	repo *git.Repository
	tick int
}

// NewFixture creates an empty repository in memory.
func NewFixture(tb testing.TB) *Fixture {
	tb.Helper()
	repo, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &Fixture{tb: tb, repo: repo}
}

// NewDiskFixture creates an empty non-bare repository on disk in a
// temporary directory (see Dir), for tests that open it by path, run the
// git command line on it or read packfiles (see Pack).
func NewDiskFixture(tb testing.TB) *Fixture {
	tb.Helper()
	dir := tb.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		tb.Fatal(err)
	}
	return &Fixture{tb: tb, dir: dir, repo: repo}
}

// Repo is the repository being built.
func (f *Fixture) Repo() *git.Repository { return f.repo }

// Dir is the work tree of a repository made by NewDiskFixture (its git
// directory is Dir/.git), and "" for one in memory.
func (f *Fixture) Dir() string { return f.dir }

// store encodes o and writes it to the repository.
func (f *Fixture) store(o interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	f.tb.Helper()
	obj := f.repo.Storer.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		f.tb.Fatal(err)
	}
	h, err := f.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		f.tb.Fatal(err)
	}
	return h
}

// Blob writes content as a blob and returns its hash.
func (f *Fixture) Blob(content string) plumbing.Hash {
	f.tb.Helper()
	obj := f.repo.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		f.tb.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		f.tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		f.tb.Fatal(err)
	}
	h, err := f.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		f.tb.Fatal(err)
	}
	return h
}

// Tree writes t (with one tree object per directory) and returns the hash
// of its root. Entries are sorted as git sorts them: by name, a
// directory's name compared as if it ended with '/'. A submodule's
// commit is referenced, not written.
func (f *Fixture) Tree(t Tree) plumbing.Hash {
	f.tb.Helper()
	sub := map[string]Tree{}
	var entries []object.TreeEntry
	for p, e := range t {
		if i := strings.IndexByte(p, '/'); i >= 0 {
			if sub[p[:i]] == nil {
				sub[p[:i]] = Tree{}
			}
			sub[p[:i]][p[i+1:]] = e
			continue
		}
		mode := e.Mode
		if mode == 0 {
			mode = filemode.Regular
		}
		var h plumbing.Hash
		if mode == filemode.Submodule {
			h = plumbing.NewHash(e.Content)
		} else {
			h = f.Blob(e.Content)
		}
		entries = append(entries, object.TreeEntry{Name: p, Mode: mode, Hash: h})
	}
	for name, st := range sub {
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: f.Tree(st)})
	}
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	return f.store(&object.Tree{Entries: entries})
}

// Commit writes a commit of t with the given parents (none: a root
// commit) and returns its hash. Author and committer are fixed; the
// fixture's n-th commit is dated 2026-03-01 10:00 UTC plus n minutes, so
// hashes are the same from run to run.
func (f *Fixture) Commit(msg string, t Tree, parents ...plumbing.Hash) plumbing.Hash {
	f.tb.Helper()
	f.tick++
	sig := object.Signature{Name: "Test", Email: "test@example.com",
		When: time.Date(2026, 3, 1, 10, f.tick, 0, 0, time.UTC)}
	return f.store(&object.Commit{Author: sig, Committer: sig, Message: msg + "\n",
		TreeHash: f.Tree(t), ParentHashes: parents})
}

// Ref points the reference name (refs/heads/x, refs/tags/x) at h.
func (f *Fixture) Ref(name string, h plumbing.Hash) {
	f.tb.Helper()
	if err := f.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		f.tb.Fatal(err)
	}
}

// AnnotatedTag points refs/tags/name at a new annotated tag object of
// commit h.
func (f *Fixture) AnnotatedTag(name string, h plumbing.Hash) {
	f.tb.Helper()
	tag := &object.Tag{Name: name, Tagger: object.Signature{Name: "T", Email: "t@example.com",
		When: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}, Message: "tag\n",
		TargetType: plumbing.CommitObject, Target: h}
	f.Ref("refs/tags/"+name, f.store(tag))
}

// Pack repacks every object reachable from a reference into one packfile
// and removes the loose copies, so that reads go through go-git's
// packfile code (index, deltas, large objects). Only for a repository
// made by NewDiskFixture, and one without symbolic links or submodules
// (go-git's repacking fails on them).
func (f *Fixture) Pack() {
	f.tb.Helper()
	if f.dir == "" {
		f.tb.Fatal("changetest: Pack needs a repository on disk (NewDiskFixture)")
	}
	if err := f.repo.RepackObjects(&git.RepackConfig{}); err != nil {
		f.tb.Fatal(err)
	}
	objects := filepath.Join(f.dir, ".git", "objects")
	dirs, err := os.ReadDir(objects)
	if err != nil {
		f.tb.Fatal(err)
	}
	for _, d := range dirs {
		if len(d.Name()) == 2 {
			if err := os.RemoveAll(filepath.Join(objects, d.Name())); err != nil {
				f.tb.Fatal(err)
			}
		}
	}
}

// Git runs the git command line in dir for a test, with no user or system
// configuration and a fixed identity, and returns its standard output as
// git wrote it. The test is skipped when git is not installed; a failing
// command fails it with git's standard error.
func Git(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git CLI not installed")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+tb.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}
