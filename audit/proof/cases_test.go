package proof

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit/pm2"
)

// caseFile is testdata/<rule-id>/case.yaml: what the case proves and what
// auditbot must say about each variant directory beside it.
type caseFile struct {
	// Rule is the id of the rule the case backs; it is also the name of
	// the case directory.
	Rule string `yaml:"rule"`
	// Behaviours are the PM2 behaviours the case proves (pm2.Behaviours,
	// the anchors of docs/pm2-behaviour.md), e.g. "kill-signal": exactly
	// those whose Proofs name this case.
	Behaviours []string `yaml:"behaviours"`
	// Claim is the behaviour of PM2 the runtime test observes, in one
	// sentence citing each behaviour as docs/pm2-behaviour.md#<id>.
	Claim string `yaml:"claim"`
	// ExpectFindingIn lists the variants auditbot must flag with Rule.
	ExpectFindingIn []string `yaml:"expect_finding_in"`
	// NoFindingIn lists the corrected variants where Rule must not fire.
	NoFindingIn []string `yaml:"no_finding_in"`
	// RuntimeOnly lists variants that only the runtime test uses; auditbot
	// is not asked anything about them.
	RuntimeOnly []string `yaml:"runtime_only"`
	// Change, when set, makes the case a change: auditbot audits the
	// change from the variant From to the variant To and must report Rule.
	Change *caseChange `yaml:"change"`
}

// caseChange names the two variants of a change case.
type caseChange struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// proofCase is a loaded case: its directory and its case.yaml.
type proofCase struct {
	Dir string // testdata/<rule-id>
	caseFile
}

// Variant is the directory of one variant.
func (c proofCase) Variant(name string) string { return filepath.Join(c.Dir, name) }

// notCases are the testdata directories that are not cases.
var notCases = []string{"npm", "tools"}

// kebab is the rule id format (rule.Meta.ID).
var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// loadCases reads every testdata/<rule-id>/case.yaml, sorted by rule id.
// It is what an auditbot-side test iterates:
//
//	for _, c := range loadCases(t) {
//		for _, v := range c.ExpectFindingIn { /* audit c.Variant(v): want a c.Rule finding */ }
//		for _, v := range c.NoFindingIn     { /* audit c.Variant(v): want no c.Rule finding */ }
//		if c.Change != nil { /* audit c.Change.From -> c.Change.To: want a c.Rule finding */ }
//	}
func loadCases(t *testing.T) []proofCase {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var cases []proofCase
	for _, e := range entries {
		if !e.IsDir() || slices.Contains(notCases, e.Name()) {
			continue
		}
		c, err := readCase(filepath.Join("testdata", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Rule < cases[j].Rule })
	return cases
}

// readCase reads and checks one case directory.
func readCase(dir string) (proofCase, error) {
	c := proofCase{Dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "case.yaml"))
	if err != nil {
		return c, fmt.Errorf("case %s: %w", dir, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c.caseFile); err != nil {
		return c, fmt.Errorf("case %s: case.yaml: %w", dir, err)
	}
	if err := c.check(); err != nil {
		return c, fmt.Errorf("case %s: %w", dir, err)
	}
	return c, nil
}

// check enforces the case format: the rule id is the directory name, the
// claim cites every behaviour the case proves (and they exist in
// pm2.Behaviours), every variant directory exists and is named exactly
// once, and auditbot has something to check.
func (c proofCase) check() error {
	if !kebab.MatchString(c.Rule) {
		return fmt.Errorf("rule %q is not a kebab-case rule id", c.Rule)
	}
	if c.Rule != filepath.Base(c.Dir) {
		return fmt.Errorf("rule %q does not match the directory name", c.Rule)
	}
	if len(c.Behaviours) == 0 {
		return fmt.Errorf("no behaviours")
	}
	for _, id := range c.Behaviours {
		if _, ok := pm2.LookupBehaviour(id); !ok {
			return fmt.Errorf("behaviour %q is not in pm2.Behaviours (docs/pm2-behaviour.md)", id)
		}
		if !regexp.MustCompile(regexp.QuoteMeta(pm2.BehaviourRef(id)) + `([^a-z-]|$)`).MatchString(c.Claim) {
			return fmt.Errorf("claim does not cite %s: %q", pm2.BehaviourRef(id), c.Claim)
		}
	}
	if strings.TrimSpace(c.Claim) == "" || strings.Count(strings.TrimSpace(c.Claim), ". ") > 0 {
		return fmt.Errorf("claim must be one sentence: %q", c.Claim)
	}
	named := map[string]string{}
	add := func(role string, vs ...string) error {
		for _, v := range vs {
			if prev, ok := named[v]; ok {
				return fmt.Errorf("variant %q is both %s and %s", v, prev, role)
			}
			named[v] = role
			if fi, err := os.Stat(c.Variant(v)); err != nil || !fi.IsDir() {
				return fmt.Errorf("%s variant %q has no directory", role, v)
			}
		}
		return nil
	}
	if err := add("expect_finding_in", c.ExpectFindingIn...); err != nil {
		return err
	}
	if err := add("no_finding_in", c.NoFindingIn...); err != nil {
		return err
	}
	if err := add("runtime_only", c.RuntimeOnly...); err != nil {
		return err
	}
	if c.Change != nil {
		if err := add("change.from", c.Change.From); err != nil {
			return err
		}
		if err := add("change.to", c.Change.To); err != nil {
			return err
		}
	} else if len(c.ExpectFindingIn) == 0 || len(c.NoFindingIn) == 0 {
		return fmt.Errorf("a snapshot case needs at least one expect_finding_in and one no_finding_in variant")
	}
	entries, err := os.ReadDir(c.Dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if _, ok := named[e.Name()]; !ok {
				return fmt.Errorf("variant directory %q is not named in case.yaml", e.Name())
			}
		}
	}
	return nil
}

// TestCaseFiles checks that every case directory has a valid case.yaml and
// a runtime proof in proofs, and that every proof has a case directory:
// a case nobody runs, or a proof without its files, fails here.
func TestCaseFiles(t *testing.T) {
	cases := loadCases(t)
	if len(cases) == 0 {
		t.Fatal("no cases under testdata")
	}
	have := map[string]bool{}
	for _, c := range cases {
		have[c.Rule] = true
		if _, ok := proofs[c.Rule]; !ok {
			t.Errorf("case %s has no runtime proof in proofs", c.Rule)
		}
	}
	for id := range proofs {
		if !have[id] {
			t.Errorf("proof %s has no testdata/%s/case.yaml", id, id)
		}
	}
	for _, id := range slowFirst {
		if _, ok := proofs[id]; !ok {
			t.Errorf("slowFirst names %s, which is not a proof", id)
		}
	}
}

// TestReadCaseRejects checks that malformed case files are refused, so
// TestCaseFiles cannot pass on a broken case.
func TestReadCaseRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
		dirs             []string
	}{
		{"rule not the directory", "rule: other\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", "does not match the directory", []string{"bad", "good"}},
		{"claim without citation", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x.\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", "does not cite docs/pm2-behaviour.md#wait-ready-timeout", []string{"bad", "good"}},
		{"claim cites another behaviour", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-message).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", "does not cite docs/pm2-behaviour.md#wait-ready-timeout", []string{"bad", "good"}},
		{"claim cites a longer anchor", "rule: r\nbehaviours: [watch]\nclaim: x (docs/pm2-behaviour.md#watcher-first-start).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", "does not cite docs/pm2-behaviour.md#watch", []string{"bad", "good"}},
		{"two sentences", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x. y (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", "one sentence", []string{"bad", "good"}},
		{"missing variant dir", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", `"good" has no directory`, []string{"bad"}},
		{"unnamed variant dir", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", `"extra" is not named`, []string{"bad", "good", "extra"}},
		{"variant twice", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_finding_in: [bad]\nno_finding_in: [bad]\n", "both", []string{"bad"}},
		{"no good variant", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_finding_in: [bad]\n", "at least one", []string{"bad"}},
		{"unknown field", "rule: r\nbehaviours: [wait-ready-timeout]\nclaim: x (docs/pm2-behaviour.md#wait-ready-timeout).\nexpect_findings_in: [bad]\nno_finding_in: [good]\n", "not found", []string{"bad", "good"}},
		{"unknown behaviour", "rule: r\nbehaviours: [no-such-thing]\nclaim: x (docs/pm2-behaviour.md#no-such-thing).\nexpect_finding_in: [bad]\nno_finding_in: [good]\n", "not in pm2.Behaviours", []string{"bad", "good"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "r")
			for _, d := range tt.dirs {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "case.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readCase(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("readCase error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
