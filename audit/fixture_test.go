package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/auditbot/auditbot/audit"
)

// entry is one file of a fixture commit: content and mode (regular when
// zero). A submodule's content is the commit SHA it points at; a
// symlink's is its target.
type entry struct {
	content string
	mode    filemode.FileMode
}

// tree maps slash paths to entries.
type tree map[string]entry

func text(s string) entry    { return entry{content: s} }
func link(to string) entry   { return entry{content: to, mode: filemode.Symlink} }
func gitlink(h string) entry { return entry{content: h, mode: filemode.Submodule} }

// with returns a copy of t with the given entries set; an empty path
// list in drop removes entries.
func (t tree) with(add tree, drop ...string) tree {
	out := tree{}
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

// fixture is an in-memory repository built object by object, so that
// symlinks, submodules and binary blobs can be committed without a work
// tree.
type fixture struct {
	t    testing.TB
	repo *git.Repository
	tick int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	repo, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, repo: repo}
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
	if err := w.Close(); err != nil {
		f.t.Fatal(err)
	}
	h, err := f.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

func (f *fixture) tree(t tree) plumbing.Hash {
	f.t.Helper()
	sub := map[string]tree{}
	var entries []object.TreeEntry
	for p, e := range t {
		if i := strings.IndexByte(p, '/'); i >= 0 {
			if sub[p[:i]] == nil {
				sub[p[:i]] = tree{}
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
	for name, st := range sub {
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: f.tree(st)})
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

// commit writes a commit of t with the given parents, at a fixed date.
func (f *fixture) commit(msg string, t tree, parents ...plumbing.Hash) plumbing.Hash {
	f.t.Helper()
	f.tick++
	sig := object.Signature{Name: "Test", Email: "test@example.com",
		When: time.Date(2026, 3, 1, 10, f.tick, 0, 0, time.UTC)}
	return f.store(&object.Commit{Author: sig, Committer: sig, Message: msg + "\n",
		TreeHash: f.tree(t), ParentHashes: parents})
}

// branch points refs/heads/name at h; "HEAD" then follows main.
func (f *fixture) branch(name string, h plumbing.Hash) {
	f.t.Helper()
	if err := f.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(name), h)); err != nil {
		f.t.Fatal(err)
	}
}

// change commits base then head on main and returns the repository.
func (f *fixture) change(base, head tree) *git.Repository {
	f.t.Helper()
	b := f.commit("base", base)
	h := f.commit("change under audit", head, b)
	f.branch("master", h)
	f.branch("main", h)
	if err := f.repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName("main"))); err != nil {
		f.t.Fatal(err)
	}
	return f.repo
}

// audit runs the default range (HEAD~1..HEAD) on a base→head change.
func auditChange(t *testing.T, base, head tree) *audit.Document {
	t.Helper()
	repo := newFixture(t).change(base, head)
	doc, err := audit.RunRange(context.Background(), repo, "", audit.Options{Version: "test"})
	if err != nil {
		t.Fatalf("RunRange: %v", err)
	}
	return doc
}

// encode renders the document as the CLI does.
func encode(t testing.TB, doc *audit.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// findingsOf lists "rule state path" of every finding, for messages.
func findingsOf(doc *audit.Document) []string {
	var out []string
	for _, f := range doc.Findings {
		out = append(out, f.Rule+" "+f.State+" "+f.Path+" "+f.App)
	}
	return out
}

// noteAbout returns the first note whose path is p and whose message
// contains all of words.
func noteAbout(doc *audit.Document, p string, words ...string) *audit.Note {
	for i := range doc.Notes {
		n := &doc.Notes[i]
		if n.Path != p {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(n.Msg, w) {
				ok = false
			}
		}
		if ok {
			return n
		}
	}
	return nil
}

func hasFinding(doc *audit.Document, rule, state, path string) bool {
	for _, f := range doc.Findings {
		if f.Rule == rule && (state == "" || f.State == state) && (path == "" || f.Path == path) {
			return true
		}
	}
	return false
}
