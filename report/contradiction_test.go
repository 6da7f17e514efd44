package report

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// claim is a ✅ statement a report makes, and the rules whose finding at
// head says the opposite for the same app or option.
type claim struct {
	name   string
	phrase func(c *catalog) string // a text every line making the claim holds
	rules  []string
}

var claims = []claim{
	{"shutdown implemented", func(c *catalog) string { return strings.Split(c.Phrases["state_shutdown_handled"], "{{")[0] },
		[]string{"kill-signal-not-handled"}},
	{"graceful shutdown principle", func(c *catalog) string { return "**" + c.Principles["graceful"].Name + "**" },
		[]string{"kill-signal-not-handled"}},
	{"handshake implemented", func(c *catalog) string { return strings.Split(c.Phrases["state_handshake_present"], "{{")[0] },
		[]string{"wait-ready-without-handshake", "wait-ready-handshake-undecided"}},
	{"handshake principle", func(c *catalog) string { return "**" + c.Principles["ready"].Name + "**" },
		[]string{"wait-ready-without-handshake", "wait-ready-handshake-undecided", "wait-ready-through-package-manager"}},
	{"script runs", func(*catalog) string { return "- ✅ `script: " },
		[]string{"script-not-found"}},
	{"handshake in the code", func(*catalog) string { return "- ✅ `process.send('ready')`" },
		[]string{"wait-ready-without-handshake", "wait-ready-handshake-undecided"}},
}

// contradictions scans every line of a rendered report for a ✅ claim
// about an app or option that a finding at head contradicts. A line is
// about an app when it, or the block it stands in (a "Principles of
// `app`" table, a "Source code (…, app `app`)" list, a "— app `app`"
// heading), names the app; about an option when it starts a table row
// of that option.
func contradictions(t *testing.T, doc *audit.Document, md, lang string) []string {
	t.Helper()
	c, err := loadCatalog(lang)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	block := ""
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "#") || (strings.HasPrefix(line, "**") && strings.HasSuffix(line, ":**")) ||
			(strings.HasPrefix(line, "**") && strings.HasSuffix(line, "):")) {
			block = line
		}
		if !strings.Contains(line, "✅") && !strings.HasPrefix(line, "| **") {
			continue
		}
		for _, cl := range claims {
			if !strings.Contains(line, cl.phrase(c)) {
				continue
			}
			for _, f := range doc.Findings {
				if f.State == audit.Fixed || !contains(cl.rules, f.Rule) {
					continue
				}
				app := "`" + f.App + "`"
				about := strings.Contains(line, app) || strings.Contains(block, app) ||
					(f.Option != "" && strings.HasPrefix(line, "| `"+f.Option))
				if about {
					out = append(out, lang+" line "+strconv.Itoa(i+1)+": "+cl.name+" contradicts "+f.Rule+" on "+f.App+": "+line)
				}
			}
		}
	}
	return out
}

// runChange audits base→head with the real engine.
func runChange(t *testing.T, base, head changetest.Tree) *audit.Document {
	t.Helper()
	f := changetest.NewFixture(t)
	b := f.Commit("base", base)
	h := f.Commit("change under audit", head, b)
	f.Ref("refs/heads/main", h)
	if err := f.Repo().Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		t.Fatal(err)
	}
	doc, err := audit.RunRange(context.Background(), f.Repo(), "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

const (
	apiCode = "const http = require('http');\nconst server = http.createServer((q, s) => s.end('ok'));\n" +
		"server.listen(process.env.PORT || 3000, () => process.send('ready'));\n" +
		"process.on('SIGINT', () => server.close(() => process.exit(0)));\n"
	workerCode = "const http = require('http');\nconst server = http.createServer((q, s) => s.end('w'));\n" +
		"server.listen(process.env.PORT || 3100);\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\n"
)

func twoApps(worker string) changetest.Tree {
	return changetest.Tree{
		"package.json":          changetest.Text(`{"name": "shop"}`),
		"apps/api/server.js":    changetest.Text(apiCode),
		"apps/worker/server.js": changetest.Text(workerCode),
		"ecosystem.config.js": changetest.Text("module.exports = { apps: [\n" +
			"  { name: 'shop-api', script: './apps/api/server.js', wait_ready: true, kill_timeout: 5000 },\n" +
			"  { name: 'shop-worker', script: './apps/worker/server.js'" + worker + " },\n] };\n"),
	}
}

// TestNoContradictedClaims renders reports for a set of cases and checks
// that no section makes a ✅ claim that one of the report's own findings
// contradicts (issue 8: "✅ Apagado implementado: SIGTERM server.js:19"
// beside a kill_timeout that gives time to a handler PM2 never runs).
func TestNoContradictedClaims(t *testing.T) {
	docs := map[string]*audit.Document{
		"kill_timeout added, SIGTERM only": runChange(t, twoApps(""), twoApps(", kill_timeout: 10000")),
		"kill_timeout kept, SIGTERM only":  runChange(t, twoApps(", kill_timeout: 8000"), twoApps(", kill_timeout: 9000")),
		"wait_ready added, no handshake":   runChange(t, twoApps(""), twoApps(", wait_ready: true")),
		"wait_ready removed, no handshake": runChange(t, twoApps(", wait_ready: true"), twoApps("")),
		"guarded handshake never fires": runChange(t, changetest.Tree{
			"server.js":           changetest.Text("if (process.env.NODE_ENV === 'production') process.send?.('ready');\n"),
			"ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'server.js', env: { NODE_ENV: 'PRODUCTION' } }] };\n"),
		}, changetest.Tree{
			"server.js":           changetest.Text("if (process.env.NODE_ENV === 'production') process.send?.('ready');\n"),
			"ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'server.js', wait_ready: true, env: { NODE_ENV: 'PRODUCTION' } }] };\n"),
		}),
		"cwd unknown": runChange(t, changetest.Tree{
			"src/server.js":           changetest.Text(apiCode),
			"src/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'src/server.js' }] };\n"),
		}, changetest.Tree{
			"src/server.js":           changetest.Text(apiCode),
			"src/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'src/server.js', kill_timeout: 4000 }] };\n"),
		}),
	}
	for _, name := range goldenCases {
		docs[name] = loadDoc(t, name)
	}
	for name, doc := range docs {
		for _, lang := range []string{"es", "en"} {
			md := render(t, doc, Options{Lang: lang, Now: testNow})
			for _, c := range contradictions(t, doc, md, lang) {
				t.Errorf("%s: %s", name, c)
			}
		}
	}
}
