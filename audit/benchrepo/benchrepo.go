// Package benchrepo generates the large repository auditbot's benchmarks
// run on: tens of thousands of files, hundreds of commits, and one service
// of thousands of JavaScript files run by an ecosystem file that the last
// commit changes. It drives the git command line (git fast-import);
// it is used by benchmarks and cmd/auditbench only.
package benchrepo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Config sizes the repository.
type Config struct {
	// Files is the total number of files (roughly).
	Files int
	// Commits is the number of commits after the initial one.
	Commits int
	// ServiceFiles is the number of JavaScript files of the audited
	// service (services/core).
	ServiceFiles int
	// NoCheckout leaves the work tree empty (git and auditbot read
	// commits, not the work tree): generation is then several times
	// faster.
	NoCheckout bool
}

// DefaultConfig is the size the README's figures are measured on.
func DefaultConfig() Config { return Config{Files: 30000, Commits: 300, ServiceFiles: 3000} }

// ServiceDir is the audited service's directory.
const ServiceDir = "services/core"

// Generate creates the repository in dir (which must not exist or be
// empty) and returns the base and head SHAs of the audited change (HEAD~1,
// HEAD). The history is written in one `git fast-import` stream, so the
// repository is fully packed, like a fresh clone, and identical (same
// SHAs) from run to run; the work tree is then checked out. A marker file,
// .git/auditbot-bench, records cfg once everything succeeded: Complete
// checks it.
func Generate(ctx context.Context, dir string, cfg Config) (base, head string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("create %s: %w", dir, err)
	}
	if err := run(ctx, dir, nil, "init", "-q", "-b", "main"); err != nil {
		return "", "", err
	}
	for _, kv := range [][2]string{{"user.name", "Bench"}, {"user.email", "bench@example.com"}, {"commit.gpgsign", "false"}, {"gc.auto", "0"}} {
		if err := run(ctx, dir, nil, "config", kv[0], kv[1]); err != nil {
			return "", "", err
		}
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, dir, pr, "fast-import", "--quiet", "--done")
		pr.Close()
	}()
	werr := stream(bufio.NewWriterSize(pw, 1<<20), cfg)
	pw.CloseWithError(werr)
	if ierr := <-done; ierr != nil {
		return "", "", ierr
	}
	if werr != nil {
		return "", "", fmt.Errorf("write history: %w", werr)
	}
	if !cfg.NoCheckout {
		if err := run(ctx, dir, nil, "reset", "-q", "--hard", "main"); err != nil {
			return "", "", err
		}
	}
	if base, err = output(ctx, dir, "rev-parse", "HEAD~1"); err != nil {
		return "", "", err
	}
	if head, err = output(ctx, dir, "rev-parse", "HEAD"); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", markerName), []byte(cfg.String()), 0o644); err != nil {
		return "", "", fmt.Errorf("mark %s complete: %w", dir, err)
	}
	return base, head, nil
}

// markerName is the file, inside .git, written when generation completed.
const markerName = "auditbot-bench"

// String describes the size, as recorded in the completion marker.
func (c Config) String() string {
	return fmt.Sprintf("files=%d commits=%d service-files=%d version=%d\n", c.Files, c.Commits, c.ServiceFiles, formatVersion)
}

// formatVersion changes whenever the generated content changes, so that
// older repositories are regenerated.
const formatVersion = 2

// Complete reports whether dir holds a repository that Generate finished
// with the same cfg, and returns its base and head SHAs.
func Complete(ctx context.Context, dir string, cfg Config) (base, head string, ok bool) {
	mark, err := os.ReadFile(filepath.Join(dir, ".git", markerName))
	if err != nil || string(mark) != cfg.String() {
		return "", "", false
	}
	base, err1 := output(ctx, dir, "rev-parse", "--verify", "-q", "HEAD~1^{commit}")
	head, err2 := output(ctx, dir, "rev-parse", "--verify", "-q", "HEAD^{commit}")
	if err1 != nil || err2 != nil {
		return "", "", false
	}
	return base, head, true
}

// stream writes the fast-import commands of the whole history.
func stream(w *bufio.Writer, cfg Config) error {
	mark := 0
	when := int64(1767225600) // 2026-01-01T00:00:00Z, one hour per commit
	var parent int
	commit := func(msg string, files map[string]string) {
		mark++
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", mark)
		fmt.Fprintf(w, "author Bench <bench@example.com> %d +0000\ncommitter Bench <bench@example.com> %d +0000\n", when, when)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		if parent != 0 {
			fmt.Fprintf(w, "from :%d\n", parent)
		}
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", p, len(files[p]), files[p])
		}
		parent = mark
		when += 3600
	}

	first := map[string]string{}
	// The audited service.
	for i := 0; i < cfg.ServiceFiles; i++ {
		first[fmt.Sprintf("%s/src/mod%d/file%d.js", ServiceDir, i/100, i)] = module(i)
	}
	first[ServiceDir+"/index.js"] = serviceMain
	first[ServiceDir+"/ecosystem.config.js"] = ecosystem(true)
	first[ServiceDir+"/README.md"] = "# core\n\nStarted with `pm2 start ecosystem.config.js`.\n"
	// The rest of the monorepo.
	rest := cfg.Files - cfg.ServiceFiles - 3
	for i := 0; i < rest; i++ {
		switch i % 4 {
		case 0:
			first[fmt.Sprintf("packages/pkg%d/lib/file%d.js", i%97, i)] = module(i)
		case 1:
			first[fmt.Sprintf("web/components/c%d/Comp%d.tsx", i%89, i)] = fmt.Sprintf("export const Comp%d = () => null;\n", i)
		case 2:
			first[fmt.Sprintf("docs/section%d/page%d.md", i%53, i)] = fmt.Sprintf("# Page %d\n\nText.\n", i)
		default:
			first[fmt.Sprintf("assets/a%d/data%d.json", i%61, i)] = fmt.Sprintf("{\"id\": %d}\n", i)
		}
	}
	commit("initial import", first)
	for c := 1; c < cfg.Commits; c++ {
		commit(fmt.Sprintf("change %d", c), map[string]string{
			fmt.Sprintf("packages/pkg%d/lib/changed%d.js", c%97, c): module(c),
			fmt.Sprintf("docs/changelog/%d.md", c):                  fmt.Sprintf("Change %d.\n", c),
		})
	}
	// The audited change: remove wait_ready and touch the service.
	commit("core: drop wait_ready", map[string]string{
		ServiceDir + "/ecosystem.config.js": ecosystem(false),
		ServiceDir + "/src/mod0/file0.js":   module(0) + "// touched\n",
	})
	w.WriteString("done\n")
	return w.Flush()
}

// run runs git in dir with stdin.
func run(ctx context.Context, dir string, stdin io.Reader, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// output runs git in dir and returns its trimmed standard output.
func output(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

func module(i int) string {
	// Most modules never mention process: realistic for a service.
	if i%50 == 0 {
		return fmt.Sprintf("const log = require('./log');\nmodule.exports = function f%d(x) {\n  if (process.env.DEBUG) log(x);\n  return x * %d;\n};\n", i, i)
	}
	return fmt.Sprintf("'use strict';\n\nmodule.exports = function f%d(x) {\n  const y = x + %d;\n  return [y, y * 2, String(y)];\n};\n", i, i)
}

const serviceMain = `const http = require('http');
const PORT = process.env.PORT || 8080;
const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  res.end('core');
});
server.listen(PORT);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`

func ecosystem(waitReady bool) string {
	extra := ""
	if waitReady {
		extra = "      wait_ready: true,\n      listen_timeout: 10000,\n"
	}
	return "module.exports = {\n  apps: [\n    {\n      name: 'core',\n      script: 'index.js',\n      cwd: __dirname,\n      instances: 4,\n      exec_mode: 'cluster',\n      kill_timeout: 8000,\n" + extra + "    },\n  ],\n};\n"
}
