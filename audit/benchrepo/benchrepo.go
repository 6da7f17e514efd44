// Package benchrepo generates the large repository auditbot's benchmarks
// run on: tens of thousands of files, hundreds of commits, and one service
// of thousands of JavaScript files run by an ecosystem file that the last
// commit changes. It drives the git command line (fast for bulk commits);
// it is used by benchmarks and cmd/auditbench only.
package benchrepo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
}

// DefaultConfig is the size the README's figures are measured on.
func DefaultConfig() Config { return Config{Files: 30000, Commits: 300, ServiceFiles: 3000} }

// ServiceDir is the audited service's directory.
const ServiceDir = "services/core"

// Generate creates the repository in dir (which must not exist) and
// returns the base and head SHAs of the audited change (HEAD~1, HEAD).
func Generate(ctx context.Context, dir string, cfg Config) (base, head string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("create %s: %w", dir, err)
	}
	g := &gen{ctx: ctx, dir: dir}
	g.git("init", "-q", "-b", "main")
	g.git("config", "user.name", "Bench")
	g.git("config", "user.email", "bench@example.com")
	g.git("config", "commit.gpgsign", "false")

	// The audited service.
	for i := 0; i < cfg.ServiceFiles; i++ {
		g.write(fmt.Sprintf("%s/src/mod%d/file%d.js", ServiceDir, i/100, i), module(i))
	}
	g.write(ServiceDir+"/index.js", serviceMain)
	g.write(ServiceDir+"/ecosystem.config.js", ecosystem(true))
	g.write(ServiceDir+"/README.md", "# core\n\nStarted with `pm2 start ecosystem.config.js`.\n")
	// The rest of the monorepo.
	rest := cfg.Files - cfg.ServiceFiles - 3
	for i := 0; i < rest; i++ {
		switch i % 4 {
		case 0:
			g.write(fmt.Sprintf("packages/pkg%d/lib/file%d.js", i%97, i), module(i))
		case 1:
			g.write(fmt.Sprintf("web/components/c%d/Comp%d.tsx", i%89, i), fmt.Sprintf("export const Comp%d = () => null;\n", i))
		case 2:
			g.write(fmt.Sprintf("docs/section%d/page%d.md", i%53, i), fmt.Sprintf("# Page %d\n\nText.\n", i))
		default:
			g.write(fmt.Sprintf("assets/a%d/data%d.json", i%61, i), fmt.Sprintf("{\"id\": %d}\n", i))
		}
	}
	g.git("add", "-A")
	g.git("commit", "-q", "-m", "initial import")
	for c := 1; c < cfg.Commits; c++ {
		g.write(fmt.Sprintf("packages/pkg%d/lib/changed%d.js", c%97, c), module(c))
		g.write(fmt.Sprintf("docs/changelog/%d.md", c), fmt.Sprintf("Change %d.\n", c))
		g.git("add", "-A")
		g.git("commit", "-q", "-m", fmt.Sprintf("change %d", c))
	}
	// The audited change: remove wait_ready and touch the service.
	g.write(ServiceDir+"/ecosystem.config.js", ecosystem(false))
	g.write(ServiceDir+"/src/mod0/file0.js", module(0)+"// touched\n")
	g.git("add", "-A")
	g.git("commit", "-q", "-m", "core: drop wait_ready")
	if g.err != nil {
		return "", "", g.err
	}
	return g.rev("HEAD~1"), g.rev("HEAD"), g.err
}

type gen struct {
	ctx context.Context
	dir string
	err error
}

func (g *gen) write(rel, content string) {
	if g.err != nil {
		return
	}
	p := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.err = err
		return
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		g.err = err
	}
}

func (g *gen) git(args ...string) string {
	if g.err != nil {
		return ""
	}
	cmd := exec.CommandContext(g.ctx, "git", args...)
	cmd.Dir = g.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.err = fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (g *gen) rev(r string) string { return g.git("rev-parse", r) }

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
