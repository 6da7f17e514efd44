package report

import (
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestDeployWarnings protects the deploy warning of section 5: only a
// hook of the changed file that re-reads that file with a command keeping
// removed keys (docs/pm2-behaviour.md#file-commands-keep-removed-keys), only when the change removes keys.
func TestDeployWarnings(t *testing.T) {
	doc := func(cmd string, dynamic bool, changes ...audit.OptionChange) *audit.Document {
		return &audit.Document{Ecosystems: []audit.Ecosystem{{
			Path:    "svc/ecosystem.config.js",
			Base:    &audit.EcoRev{},
			Head:    &audit.EcoRev{Deploy: []audit.DeployHook{{Target: "production", Hook: "post-deploy", Command: cmd, Line: 12, Dynamic: dynamic}}},
			Changes: changes,
		}}}
	}
	removed := audit.OptionChange{App: "api", Key: "wait_ready", Change: audit.Removed}
	for _, tc := range []struct {
		name, cmd string
		dynamic   bool
		changes   []audit.OptionChange
		fix       string // "" = no warning
	}{
		{"reload with --env", "npm ci && pm2 reload ecosystem.config.js --env production", false, []audit.OptionChange{removed},
			"pm2 delete api && pm2 start ecosystem.config.js --only api --env production"},
		{"startOrRestart", "pm2 startOrRestart ecosystem.config.js", false, []audit.OptionChange{removed},
			"pm2 delete api && pm2 start ecosystem.config.js --only api"},
		{"pm2-runtime start", "pm2-runtime start ./ecosystem.config.js --env=staging", false, []audit.OptionChange{removed},
			"pm2 delete api && pm2 start ./ecosystem.config.js --only api --env staging"},
		{"already deletes first", "pm2 delete api; pm2 start ecosystem.config.js", false, []audit.OptionChange{removed}, ""},
		{"another file", "pm2 reload other.config.js", false, []audit.OptionChange{removed}, ""},
		{"restart by name does not read the file", "pm2 restart api", false, []audit.OptionChange{removed}, ""},
		{"nothing removed", "pm2 reload ecosystem.config.js", false,
			[]audit.OptionChange{{App: "api", Key: "kill_timeout", Change: audit.Modified}}, ""},
		{"only env removed", "pm2 reload ecosystem.config.js", false, []audit.OptionChange{{App: "api", Key: "env", Change: audit.Removed}}, ""},
		{"dynamic hook", "process.env.POST_DEPLOY", true, []audit.OptionChange{removed}, ""},
	} {
		ws := deployWarnings(doc(tc.cmd, tc.dynamic, tc.changes...))
		switch {
		case tc.fix == "" && len(ws) != 0:
			t.Errorf("%s: warnings %+v, want none", tc.name, ws)
		case tc.fix != "" && (len(ws) != 1 || ws[0].Fix != tc.fix || ws[0].Line != 12):
			t.Errorf("%s: warnings %+v, want one with fix %q", tc.name, ws, tc.fix)
		}
	}
}
