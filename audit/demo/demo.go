// Package demo builds auditbot's built-in example: a small repository in
// the situation of the hand-written audit auditbot's reports are modelled
// on. A WhatsApp session manager whose code never sends PM2 the ready
// message, whose two ecosystem files (.js and .cjs) declare wait_ready and
// listen_timeout, and a change that removes both options from both files.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

//go:embed all:files
var files embed.FS

// Author and dates are fixed so the example's commits, and so every
// report written from it, are the same on every machine.
var (
	author   = object.Signature{Name: "Lead Master Ops", Email: "ops@leadmaster.example"}
	baseTime = time.Date(2026, 2, 24, 18, 30, 0, 0, time.UTC)
	headTime = time.Date(2026, 2, 25, 9, 15, 0, 0, time.UTC)
)

// Commit messages of the example's two commits.
const (
	BaseMessage = "feat(session-manager): PM2 ecosystem files for production and local QR login"
	HeadMessage = "chore(pm2): remove wait_ready and listen_timeout from session-manager\n\nThe service never calls process.send('ready').\n"
)

// Build writes the example repository into dir (which must be empty or
// absent) and returns it. HEAD~1 is the base, HEAD the change.
func Build(ctx context.Context, dir string) (*git.Repository, error) {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: "refs/heads/main"},
	})
	if err != nil {
		return nil, fmt.Errorf("init demo repository: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("demo worktree: %w", err)
	}
	for _, step := range []struct {
		tree string
		msg  string
		when time.Time
	}{
		{"files/base", BaseMessage, baseTime},
		{"files/head", HeadMessage, headTime},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := write(dir, step.tree); err != nil {
			return nil, err
		}
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			return nil, fmt.Errorf("stage demo files: %w", err)
		}
		sig := author
		sig.When = step.when
		if _, err := wt.Commit(step.msg, &git.CommitOptions{Author: &sig, Committer: &sig}); err != nil {
			return nil, fmt.Errorf("commit demo files: %w", err)
		}
	}
	return repo, nil
}

// write copies an embedded tree over dir.
func write(dir, tree string) error {
	return fs.WalkDir(files, tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(tree, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if filepath.Ext(p) == ".sh" {
			mode = 0o755
		}
		if err := os.WriteFile(dst, data, mode); err != nil {
			return fmt.Errorf("write demo file: %w", err)
		}
		return nil
	})
}
