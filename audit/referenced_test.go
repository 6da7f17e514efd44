package audit_test

import (
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// Files a Dockerfile or a package.json script passes to pm2/pm2-runtime
// are ecosystem files whatever their name (issue 8): paths are resolved
// from the Dockerfile's or the package.json's directory, and never
// outside the repository; a script pm2 would run as an app is not one.
func TestFilesPassedToPM2AreEcosystemFiles(t *testing.T) {
	appsYAML := "apps:\n  - name: api\n    script: ../server.js\n"
	prodJSON := `{"apps": [{"name": "web", "script": "../server.js"}]}`
	base := changetest.Tree{
		"server.js":            changetest.Text(silentServer),
		"Dockerfile":           changetest.Text("FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"pm2-runtime\", \"deploy/apps.yml\"]\n"),
		"deploy/apps.yml":      changetest.Text(appsYAML),
		"web/package.json":     changetest.Text(`{"name": "web", "scripts": {"start": "pm2 start config/prod.json --env production", "dev": "pm2 start server.js", "bad": "pm2 start ../../outside.json"}}`),
		"web/config/prod.json": changetest.Text(prodJSON),
	}
	head := base.With(changetest.Tree{
		"deploy/apps.yml":      changetest.Text(appsYAML + "    wait_ready: true\n"),
		"web/config/prod.json": changetest.Text(`{"apps": [{"name": "web", "script": "../server.js", "wait_ready": true}]}`),
	})
	doc := auditChange(t, base, head)
	got := map[string]bool{}
	for _, e := range doc.Ecosystems {
		got[e.Path] = true
	}
	for _, p := range []string{"deploy/apps.yml", "web/config/prod.json"} {
		if !got[p] {
			t.Errorf("%s (passed to pm2) is not audited; ecosystems %v, impact %v", p, got, doc.Impact)
		}
		if !hasFinding(doc, "wait-ready-without-handshake", "introduced", p) {
			t.Errorf("%s: its apps were not audited: %v", p, findingsOf(doc))
		}
	}
	if len(got) != 2 {
		t.Errorf("ecosystems %v, want exactly the two files passed to pm2", got)
	}
}

// A file a deploy hook starts, named like no ecosystem file, is audited.
func TestFileStartedByDeployHook(t *testing.T) {
	eco := "module.exports = {\n  apps: [{ name: 'api', script: 'server.js' }],\n  deploy: { production: { 'post-deploy': 'npm ci && pm2 startOrReload config/workers.json --env production' } },\n};\n"
	base := changetest.Tree{
		"server.js":           changetest.Text(silentServer),
		"ecosystem.config.js": changetest.Text(eco),
		"config/workers.json": changetest.Text(`{"apps": [{"name": "worker", "script": "../server.js"}]}`),
	}
	head := base.With(changetest.Tree{"config/workers.json": changetest.Text(`{"apps": [{"name": "worker", "script": "../server.js", "wait_ready": true}]}`)})
	doc := auditChange(t, base, head)
	if !hasFinding(doc, "wait-ready-without-handshake", "introduced", "config/workers.json") {
		t.Errorf("config/workers.json (started by the deploy hook) was not audited: %v", findingsOf(doc))
	}
}
