// Package demo builds auditbot's built-in example: a small repository in
// the situation of the hand-written audit auditbot's reports are modelled
// on. A WhatsApp session manager whose code never sends PM2 the ready
// message, whose two ecosystem files (.js and .cjs) declare wait_ready and
// listen_timeout, and a change that removes both options from both files.
//
// files/ holds the base tree; the change is applied by Build, as an editor
// would, so the head is the base minus exactly those lines.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
	if err := write(dir, "files"); err != nil {
		return nil, err
	}
	if err := commit(ctx, wt, BaseMessage, baseTime); err != nil {
		return nil, err
	}
	for _, name := range changedFiles {
		if err := removeLines(filepath.Join(dir, filepath.FromSlash(name)), removedOptions); err != nil {
			return nil, err
		}
	}
	if err := commit(ctx, wt, HeadMessage, headTime); err != nil {
		return nil, err
	}
	return repo, nil
}

// The change under audit: both ecosystem files lose these options.
var (
	changedFiles = []string{
		"services/session-manager/ecosystem.config.js",
		"services/session-manager/ecosystem.config.cjs",
	}
	removedOptions = []string{"wait_ready:", "listen_timeout:"}
)

// commit stages everything and commits it at a fixed time.
func commit(ctx context.Context, wt *git.Worktree, msg string, when time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return fmt.Errorf("stage demo files: %w", err)
	}
	sig := author
	sig.When = when
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: &sig, Committer: &sig}); err != nil {
		return fmt.Errorf("commit demo files: %w", err)
	}
	return nil
}

// removeLines deletes the lines of a file whose trimmed text starts with
// one of the prefixes.
func removeLines(p string, prefixes []string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("edit demo file: %w", err)
	}
	var out []string
	for _, l := range strings.SplitAfter(string(data), "\n") {
		drop := false
		for _, pre := range prefixes {
			if strings.HasPrefix(strings.TrimSpace(l), pre) {
				drop = true
			}
		}
		if !drop {
			out = append(out, l)
		}
	}
	if err := os.WriteFile(p, []byte(strings.Join(out, "")), 0o644); err != nil {
		return fmt.Errorf("edit demo file: %w", err)
	}
	return nil
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
