package report

import (
	"context"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// TestApplyCommandUsesTheRepositorysEnv protects the command of the first
// screen: when the package.json beside the file starts it with
// `--env production`, the app is started the same way (and only that app,
// --only), or it would run without its env_production values.
func TestApplyCommandUsesTheRepositorysEnv(t *testing.T) {
	const server = "const http = require('http');\nconst server = http.createServer((q, s) => s.end('ok'));\nserver.listen(3100);\n"
	conf := func(extra string) string {
		return "module.exports = { apps: [\n  { name: 'api', script: 'server.js'" + extra + ", env_production: { NODE_ENV: 'production' } },\n  { name: 'other', script: 'server.js' }\n] };\n"
	}
	f := changetest.NewFixture(t)
	tree := changetest.Tree{
		"svc/server.js":           changetest.Text(server),
		"svc/package.json":        changetest.Text(`{"name": "svc", "scripts": {"start:prod": "pm2 start ecosystem.config.js --env production"}}` + "\n"),
		"svc/ecosystem.config.js": changetest.Text(conf("")),
	}
	base := f.Commit("base", tree)
	head := f.Commit("kill_timeout", tree.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(conf(", kill_timeout: 5000"))}), base)
	doc, err := audit.RunRange(context.Background(), f.Repo(), base.String()+".."+head.String(), audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	md := render(t, doc, Options{Now: testNow})
	want := "cd svc && pm2 delete api && pm2 start ecosystem.config.js --only api --env production"
	if !strings.Contains(firstScreen(md), want) {
		t.Errorf("the first screen lacks %q:\n%s", want, firstScreen(md))
	}
	if strings.Contains(md, "pm2 delete other") {
		t.Error("an app the change does not touch is restarted")
	}
	if !strings.Contains(md, "ss -ltnp | grep ':3100\\b'") {
		t.Error("the port is not the code's literal listen port")
	}
}
