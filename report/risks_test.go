package report

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestRisksOnlyWhenTheyApply protects section 6: the seed removes options
// but no environment variable, so it warns that removed options stay in
// force under pm2 restart and says nothing of removed variables; a change
// that only adds an option says the change is not applied instead; a
// change that drops a variable from env says it stays in the process.
func TestRisksOnlyWhenTheyApply(t *testing.T) {
	const removedOpts, notApplied, envVars = "deja en vigor las opciones eliminadas", "no aplica el cambio", "Variables de entorno eliminadas"
	seed := section(render(t, loadDoc(t, "seed"), Options{Now: testNow}), "## 6.")
	if !strings.Contains(seed, removedOpts) || strings.Contains(seed, envVars) || strings.Contains(seed, notApplied) {
		t.Errorf("removal without env change: risks\n%s", seed)
	}
	doc := func(changes ...audit.OptionChange) *audit.Document {
		return &audit.Document{Impact: true, Schema: audit.SchemaVersion,
			Base: audit.Commit{SHA: strings.Repeat("a", 40), Short: "aaaaaaa"}, Head: audit.Commit{SHA: strings.Repeat("b", 40), Short: "bbbbbbb"},
			Changed: []audit.ChangedFile{{Path: "ecosystem.config.js", Status: "modified", Kind: audit.KindEcosystem}},
			Ecosystems: []audit.Ecosystem{{Path: "ecosystem.config.js", Format: "js", Loadable: true, Status: "modified",
				Base: &audit.EcoRev{Apps: []audit.App{{Name: "api"}}}, Head: &audit.EcoRev{Apps: []audit.App{{Name: "api"}}}, Changes: changes}},
			Summary: audit.Summary{Verdict: "pass"}}
	}
	added := render(t, doc(audit.OptionChange{App: "api", Key: "kill_timeout", Change: audit.Added, After: &audit.Option{Key: "kill_timeout", Value: float64(5000), Line: 3}}), Options{Now: testNow})
	if !strings.Contains(added, notApplied) || strings.Contains(added, removedOpts) || strings.Contains(added, envVars) {
		t.Errorf("an added option: risks\n%s", added)
	}
	env := func(m map[string]any) *audit.Option { return &audit.Option{Key: "env", Value: m, Line: 4} }
	dropped := render(t, doc(audit.OptionChange{App: "api", Key: "env", Change: audit.Modified,
		Before: env(map[string]any{"A": "1", "B": "2"}), After: env(map[string]any{"A": "1"})}), Options{Now: testNow})
	if !strings.Contains(dropped, envVars) {
		t.Errorf("a variable dropped from env: no env risk\n%s", dropped)
	}
}
