package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/report"
)

// TestAddingARuleSteps keeps CONTRIBUTING.md "Adding a rule" true: every
// registered rule has its file, its texts in both catalogs, cases under
// audit/rule/testdata/<id>, known behaviours, and an entry in
// docs/rules.md.
func TestAddingARuleSteps(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join(root, "CONTRIBUTING.md"))
	if err != nil || !strings.Contains(string(guide), "## Adding a rule") {
		t.Fatalf("CONTRIBUTING.md has no \"Adding a rule\" section: %v", err)
	}
	rulesDoc, err := os.ReadFile(filepath.Join(root, "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rule.All() {
		m := r.Meta()
		file := filepath.Join(root, "audit", "rule", "rule_"+strings.ReplaceAll(m.ID, "-", "_")+".go")
		if _, err := os.Stat(file); err != nil {
			t.Errorf("%s: step 1, no %s", m.ID, file)
		}
		for _, lang := range report.Languages() {
			if _, err := report.RuleTexts(lang, m.ID); err != nil {
				t.Errorf("%s: step 3, %v", m.ID, err)
			}
		}
		cases, _ := filepath.Glob(filepath.Join(root, "audit", "rule", "testdata", m.ID, "*", "case.yaml"))
		if len(cases) == 0 {
			t.Errorf("%s: step 4, no case under audit/rule/testdata/%s", m.ID, m.ID)
		}
		if len(m.Behaviours) == 0 {
			t.Errorf("%s: step 1, cites no behaviour", m.ID)
		}
		for _, id := range m.Behaviours {
			if _, ok := pm2.LookupBehaviour(id); !ok {
				t.Errorf("%s: step 1, behaviour %q is not in docs/pm2-behaviour.md", m.ID, id)
			}
		}
		if !strings.Contains(string(rulesDoc), "\n## "+m.ID+"\n") {
			t.Errorf("%s: step 6, no entry in docs/rules.md", m.ID)
		}
	}
}
