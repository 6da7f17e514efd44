// Package ruletest builds the repositories the rule test cases describe
// (audit/rule/testdata/<rule>/<case>): the tests of the rules and of the
// report's rule texts audit the same commits.
package ruletest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commit builds a repository of two commits: an empty root commit and
// one holding a copy of tree or, with deleted, a root commit holding the
// copy and one without the deleted paths.
func Commit(t testing.TB, tree string, deleted []string) *git.Repository {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	commit := func(msg string) {
		t.Helper()
		when = when.Add(time.Minute)
		sig := &object.Signature{Name: "auditbot test", Email: "test@auditbot.invalid", When: when}
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true}); err != nil {
			t.Fatal(err)
		}
	}
	addAll := func() {
		t.Helper()
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			t.Fatal(err)
		}
	}
	if len(deleted) == 0 {
		commit("empty")
	}
	if err := copyTree(dir, tree); err != nil {
		t.Fatal(err)
	}
	addAll()
	if len(deleted) == 0 {
		commit("case")
		return repo
	}
	commit("base")
	for _, p := range deleted {
		if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	addAll()
	commit("delete " + strings.Join(deleted, ", "))
	return repo
}

// copyTree copies the tree at src into dst, keeping symbolic links as
// links (os.CopyFS would copy their targets), since a case may hold one.
func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
}
