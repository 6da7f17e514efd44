package audit_test

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// A deleted ecosystem file is not "approved": its apps keep running until
// someone deletes them, and the finding says which and how (issue 8).
func TestDeletedEcosystemFile(t *testing.T) {
	two := "module.exports = {\n  apps: [\n    { name: 'api', script: 'server.js' },\n    { name: \"it's-worker\", script: 'server.js' },\n  ],\n};\n"
	svc := changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text(two)}
	doc := auditChange(t, svc, svc.With(nil, "svc/ecosystem.config.js"))
	f := findFinding(doc, "ecosystem-file-deleted", "svc/ecosystem.config.js")
	if f == nil || f.State != audit.Introduced || f.Severity != "warning" {
		t.Fatalf("finding %+v, want ecosystem-file-deleted (warning, introduced); got %v", f, findingsOf(doc))
	}
	for _, want := range []string{"api", "it's-worker", `pm2 delete 'api'`, `pm2 delete 'it'\''s-worker'`} {
		if !strings.Contains(messageIn(t, *f, "en"), want) || !strings.Contains(messageIn(t, *f, "es"), want) {
			t.Errorf("messages do not say %q:\n%s\n%s", want, messageIn(t, *f, "en"), messageIn(t, *f, "es"))
		}
	}
	if doc.Summary.Verdict == "pass" {
		t.Errorf("verdict pass for a deleted ecosystem file")
	}
	if md := markdown(t, doc, "es"); strings.Contains(md, "✅ APROBADO") {
		t.Errorf("the report approves the deletion")
	}

	t.Run("apps moved to another file: nothing stops", func(t *testing.T) {
		base := svc.With(changetest.Tree{"other/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'x', script: 'x.js' }] };\n")})
		head := base.With(changetest.Tree{"other/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'x', script: 'x.js' }, { name: 'api', script: '../svc/server.js' }, { name: \"it's-worker\", script: '../svc/server.js' }] };\n")}, "svc/ecosystem.config.js")
		doc := auditChange(t, base, head)
		if len(doc.Ecosystems) == 0 {
			t.Fatal("no ecosystem file audited")
		}
		if f := findFinding(doc, "ecosystem-file-deleted", ""); f != nil {
			t.Errorf("finding for apps declared elsewhere at head: %s", messageIn(t, *f, "en"))
		}
	})
}
