package audit_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/auditbot/auditbot/audit"
)

var update = flag.Bool("update", false, "rewrite the expected documents in testdata")

// buildRepo makes a repository from testdata/<name>: a first commit with
// base/ (absent: the change is a root commit), a second with head/ laid
// over it, minus the paths listed in delete.txt.
func buildRepo(t *testing.T, name string) *git.Repository {
	t.Helper()
	src := filepath.Join("testdata", name)
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	commit := func(msg string) {
		t.Helper()
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
		sig := &object.Signature{Name: "Test", Email: "test@example.com", When: when}
		when = when.Add(time.Hour)
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(src, "base")); err == nil {
		copyTree(t, filepath.Join(src, "base"), dir)
		commit("base")
	}
	copyTree(t, filepath.Join(src, "head"), dir)
	if data, err := os.ReadFile(filepath.Join(src, "delete.txt")); err == nil {
		for _, p := range strings.Fields(string(data)) {
			if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
	}
	commit("change under audit")
	return repo
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

// TestGolden audits every testdata/<case> and compares the JSON document
// with testdata/<case>/expected.json (rewrite with -update, then read the
// diff before committing).
func TestGolden(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			repo := buildRepo(t, e.Name())
			doc, err := audit.RunRange(context.Background(), repo, "", audit.Options{Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			got := encode(t, doc)
			want := filepath.Join("testdata", e.Name(), "expected.json")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./audit -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, exp) {
				t.Errorf("document differs from %s (run with -update and read the diff):\n%s", want, firstDiff(string(exp), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line with some context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, a, b)
		}
	}
	return ""
}
