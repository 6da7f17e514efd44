package audit_test

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// `app:` instead of `apps:` (a real typo): PM2 takes the exported object
// as the only app, which has no script, and starts nothing. It was
// silence, or "not audited"; it is an error that names the fix (issue 8).
func TestAppsKeyTypo(t *testing.T) {
	svc := changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text("module.exports = {\n  apps: [{\n    name: 'api',\n    script: 'server.js',\n  }],\n};\n")}
	head := svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text("module.exports = {\n  app: [{\n    name: 'api',\n    script: 'server.js',\n  }],\n};\n")})
	for name, tc := range map[string]struct{ base, head changetest.Tree }{
		"modified": {svc, head},
		"added":    {changetest.Tree{"svc/server.js": changetest.Text(silentServer)}, head},
	} {
		t.Run(name, func(t *testing.T) {
			doc := auditChange(t, tc.base, tc.head)
			f := findFinding(doc, "apps-key-missing", "svc/ecosystem.config.js")
			if f == nil || f.Line != 2 || f.Severity != "error" {
				t.Fatalf("finding %+v, want apps-key-missing (error) at line 2; got %v", f, findingsOf(doc))
			}
			if !strings.Contains(messageIn(t, *f, "en"), "`apps`") || !strings.Contains(messageIn(t, *f, "es"), "¿") {
				t.Errorf("the messages do not suggest apps: %q / %q", messageIn(t, *f, "en"), messageIn(t, *f, "es"))
			}
			if doc.Summary.Verdict != "fail" {
				t.Errorf("verdict %q, want fail", doc.Summary.Verdict)
			}
			if md := markdown(t, doc, "es"); strings.Contains(md, "Eliminación de") {
				t.Errorf("the report announces the removal of the options of a file whose apps key is misspelt")
			}
		})
	}
}
