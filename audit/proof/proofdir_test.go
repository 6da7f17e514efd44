package proof

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/auditbot/auditbot/audit/pm2"
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

// TestBehaviourProofsExist ties docs/pm2-behaviour.md to the cases both
// ways: every proof a behaviour names is a case with a runtime proof (and
// the variants it names exist), and a case lists in its behaviours exactly
// the behaviours whose proofs name it.
func TestBehaviourProofsExist(t *testing.T) {
	cases := map[string]proofCase{}
	for _, c := range loadCases(t) {
		cases[filepath.Base(c.Dir)] = c
	}
	proves := map[string][]string{}
	for _, b := range pm2.Behaviours() {
		if len(b.Proofs) == 0 && b.Unproven == "" {
			t.Errorf("behaviour %s: no proof and no reason why", b.ID)
		}
		for _, p := range b.Proofs {
			c, ok := cases[p.Case]
			if !ok {
				t.Errorf("behaviour %s: proof names case %q, which does not exist", b.ID, p.Case)
				continue
			}
			if _, ok := proofs[p.Case]; !ok {
				t.Errorf("behaviour %s: case %s has no runtime proof in proofs", b.ID, p.Case)
			}
			for _, v := range p.Variants {
				if fi, err := os.Stat(c.Variant(v)); err != nil || !fi.IsDir() {
					t.Errorf("behaviour %s: case %s has no variant %q", b.ID, p.Case, v)
				}
			}
			if !slices.Contains(proves[p.Case], b.ID) {
				proves[p.Case] = append(proves[p.Case], b.ID)
			}
		}
	}
	for name, c := range cases {
		got, want := slices.Sorted(slices.Values(c.Behaviours)), slices.Sorted(slices.Values(proves[name]))
		if !slices.Equal(got, want) {
			t.Errorf("case %s: behaviours %v, want %v (the behaviours whose proofs name it)", name, got, want)
		}
	}
}
