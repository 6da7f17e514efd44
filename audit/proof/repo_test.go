package proof

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// caseRepo builds a git repository in a temporary directory for the
// auditbot side of a case: an empty root commit, then one commit per
// directory in trees, each commit holding exactly that directory's files
// (files of the previous tree that it lacks are deleted). The change to
// audit is then always HEAD~1..HEAD:
//
//	caseRepo(t, c.Variant("bad"))                               // empty -> bad
//	caseRepo(t, c.Variant(c.Change.From), c.Variant(c.Change.To)) // before -> after
func caseRepo(t *testing.T, trees ...string) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatalf("git init: %v", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	commit := func(msg string) {
		t.Helper()
		when = when.Add(time.Minute)
		sig := &object.Signature{Name: "auditbot proof", Email: "proof@auditbot.invalid", When: when}
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true}); err != nil {
			t.Fatalf("git commit %q: %v", msg, err)
		}
	}
	commit("empty")
	for _, tree := range trees {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != ".git" {
				if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.CopyFS(dir, os.DirFS(tree)); err != nil {
			t.Fatalf("copying %s: %v", tree, err)
		}
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatalf("git add %s: %v", tree, err)
		}
		commit(filepath.ToSlash(tree))
	}
	return dir
}

// treeFiles lists the files of a commit, sorted.
func treeFiles(t *testing.T, c *object.Commit) []string {
	t.Helper()
	tree, err := c.Tree()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	err = tree.Files().ForEach(func(f *object.File) error {
		files = append(files, f.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// TestCaseRepo checks the repository the auditbot side audits: HEAD~1 and
// HEAD hold exactly the trees of the change, for a snapshot case and for
// the change case, including a file deleted by the change.
func TestCaseRepo(t *testing.T) {
	tests := []struct {
		name       string
		trees      []string
		base, head []string
	}{
		{
			name:  "snapshot: empty -> bad",
			trees: []string{"testdata/esm-ecosystem/bad"},
			base:  nil,
			head:  []string{"app.js", "ecosystem.config.mjs"},
		},
		{
			name:  "change: before -> after",
			trees: []string{"testdata/procedure-delete-start/before", "testdata/procedure-delete-start/after"},
			base:  []string{"app.js", "ecosystem.config.js"},
			head:  []string{"app.js", "ecosystem.config.js"},
		},
		{
			name:  "deleted and added files",
			trees: []string{"testdata/esm-ecosystem/bad", "testdata/esm-ecosystem/good"},
			base:  []string{"app.js", "ecosystem.config.mjs"},
			head:  []string{"app.js", "ecosystem.config.cjs", "package.json"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, err := git.PlainOpen(caseRepo(t, tt.trees...))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := repo.Head()
			if err != nil {
				t.Fatal(err)
			}
			head, err := repo.CommitObject(ref.Hash())
			if err != nil {
				t.Fatal(err)
			}
			base, err := head.Parent(0)
			if err != nil {
				t.Fatal(err)
			}
			if got := treeFiles(t, head); !slices.Equal(got, tt.head) {
				t.Errorf("HEAD files %v, want %v", got, tt.head)
			}
			if got := treeFiles(t, base); !slices.Equal(got, tt.base) {
				t.Errorf("HEAD~1 files %v, want %v", got, tt.base)
			}
			if n := head.NumParents(); n != 1 {
				t.Errorf("HEAD has %d parents, want 1", n)
			}
		})
	}
	// The change case really changes the ecosystem file.
	repo, err := git.PlainOpen(caseRepo(t, "testdata/procedure-delete-start/before", "testdata/procedure-delete-start/after"))
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := repo.Head()
	head, _ := repo.CommitObject(ref.Hash())
	f, err := head.File("ecosystem.config.js")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("testdata/procedure-delete-start/after/ecosystem.config.js")
	if got, _ := f.Contents(); got != string(want) {
		t.Errorf("HEAD:ecosystem.config.js = %q, want the after/ file", got)
	}
}
