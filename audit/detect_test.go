package audit_test

import (
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// A process*.yml is an ecosystem file: a real repository starts
// .docker/pm2/process.app.yml with pm2-runtime from its Dockerfile, and
// a change to it had no PM2 impact (issue 8).
func TestProcessYAMLIsAnEcosystemFile(t *testing.T) {
	base := changetest.Tree{
		"Dockerfile":                  changetest.Text("FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"pm2-runtime\", \".docker/pm2/process.app.yml\"]\n"),
		"server.js":                   changetest.Text(silentServer),
		".docker/pm2/process.app.yml": changetest.Text("apps:\n  - name: api\n    script: server.js\n"),
	}
	head := base.With(changetest.Tree{".docker/pm2/process.app.yml": changetest.Text("apps:\n  - name: api\n    script: server.js\n    wait_ready: true\n")})
	doc := auditChange(t, base, head)
	if !doc.Impact || len(doc.Ecosystems) != 1 || doc.Ecosystems[0].Path != ".docker/pm2/process.app.yml" {
		t.Fatalf("impact %v, ecosystems %+v; want the process.app.yml audited", doc.Impact, doc.Ecosystems)
	}
	if len(doc.Changed) != 1 || doc.Changed[0].Kind != audit.KindEcosystem {
		t.Errorf("changed %+v, want the file as an ecosystem file", doc.Changed)
	}
}
