package proof

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/auditbot/auditbot/audit/rule"
)

// proofPrefix is where a rule's Meta.Proof points, relative to the
// repository root; this package's testdata is that directory.
const proofPrefix = "audit/proof/testdata/"

// TestRuleProofsExist ties the rule registry to the case directories both
// ways: a rule whose Meta.Proof names a case must have that case directory
// with a case.yaml for it (docs/rules.md links there), and a case whose
// rule is registered must be the one that rule's Meta.Proof names. A
// dangling proof link, or a case the rule does not cite, fails here.
func TestRuleProofsExist(t *testing.T) {
	for _, r := range rule.All() {
		m := r.Meta()
		if m.Proof == "" {
			continue
		}
		if m.Proof != proofPrefix+m.ID {
			t.Errorf("rule %s: Meta.Proof %q, want %q", m.ID, m.Proof, proofPrefix+m.ID)
			continue
		}
		dir := filepath.Join("testdata", m.ID)
		if fi, err := os.Stat(filepath.Join(dir, "case.yaml")); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("rule %s: Meta.Proof names %s, which has no case.yaml", m.ID, m.Proof)
		}
	}
	for _, c := range loadCases(t) {
		r, ok := rule.Lookup(c.Rule)
		if !ok {
			// A case backing the report's procedure rather than a rule
			// (procedure-delete-start); TestAuditbotAgreesWithPM2
			// checks it.
			continue
		}
		if got, want := r.Meta().Proof, proofPrefix+c.Rule; got != want {
			t.Errorf("case %s: rule %s has Meta.Proof %q, want %q", c.Dir, c.Rule, got, want)
		}
	}
}
