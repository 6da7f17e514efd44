package rule_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/rule/ruletest"
	"github.com/auditbot/auditbot/report"
)

// ruleCaseFile is testdata/<rule-id>/<case>/case.yaml. Beside it, bad/ is
// a repository tree that must give exactly the Want findings of the rule,
// and good/ (when present) one that must give none.
type ruleCaseFile struct {
	// About says what the case shows, in one sentence.
	About string `yaml:"about"`
	// Want are the findings of the rule in bad/, each written
	// "path:line app option key=<key>", where app, option and key are
	// left out when empty and key also when it is the option itself
	// (see findingsOf).
	Want []string `yaml:"want"`
	// Deleted are paths, relative to each variant, that the change
	// deletes: the variant is committed whole at base and without them
	// at head. Without it the change adds the whole variant to an empty
	// repository.
	Deleted []string `yaml:"deleted"`
}

// dirCase is one loaded case directory.
type dirCase struct {
	rule, name, dir string
	ruleCaseFile
	bad, good bool
}

// loadDirCases reads every testdata/<rule-id>/<case>/case.yaml.
func loadDirCases(t *testing.T) []dirCase {
	t.Helper()
	rules, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []dirCase
	for _, r := range rules {
		if !r.IsDir() {
			continue
		}
		cases, err := os.ReadDir(filepath.Join("testdata", r.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if !c.IsDir() {
				continue
			}
			dc, err := readDirCase(filepath.Join("testdata", r.Name(), c.Name()))
			if err != nil {
				t.Error(err)
				continue
			}
			out = append(out, dc)
		}
	}
	return out
}

// readDirCase reads and checks one case directory: known fields only, an
// about sentence, a registered rule, bad/ exactly when findings are
// wanted, at least one variant, nothing else beside them.
func readDirCase(dir string) (dirCase, error) {
	dc := dirCase{rule: filepath.Base(filepath.Dir(dir)), name: filepath.Base(dir), dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "case.yaml"))
	if err != nil {
		return dc, fmt.Errorf("case %s: %w", dir, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&dc.ruleCaseFile); err != nil {
		return dc, fmt.Errorf("case %s: case.yaml: %w", dir, err)
	}
	if _, ok := rule.Lookup(dc.rule); !ok {
		return dc, fmt.Errorf("case %s: %q is not a registered rule", dir, dc.rule)
	}
	if strings.TrimSpace(dc.About) == "" {
		return dc, fmt.Errorf("case %s: no about", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return dc, err
	}
	for _, e := range entries {
		switch {
		case e.Name() == "case.yaml":
		case e.IsDir() && e.Name() == "bad":
			dc.bad = true
		case e.IsDir() && e.Name() == "good":
			dc.good = true
		default:
			return dc, fmt.Errorf("case %s: unexpected %s (want case.yaml, bad/, good/)", dir, e.Name())
		}
	}
	if dc.bad != (len(dc.Want) > 0) {
		return dc, fmt.Errorf("case %s: bad/ and want go together (bad/ %v, %d wanted findings)", dir, dc.bad, len(dc.Want))
	}
	if !dc.bad && !dc.good {
		return dc, fmt.Errorf("case %s: no bad/ or good/ variant", dir)
	}
	for _, p := range dc.Deleted {
		for v, ok := range map[string]bool{"bad": dc.bad, "good": dc.good} {
			if !ok {
				continue
			}
			if !filepath.IsLocal(p) {
				return dc, fmt.Errorf("case %s: deleted path %q is not inside the variant", dir, p)
			}
			if _, err := os.Stat(filepath.Join(dir, v, p)); err != nil {
				return dc, fmt.Errorf("case %s: deleted path %q is not in %s/: %w", dir, p, v, err)
			}
		}
	}
	return dc, nil
}

// TestRuleCases audits each case's variants with the whole engine (the
// tree committed on an empty root commit, HEAD~1..HEAD): bad/ must give
// exactly the wanted findings of the case's rule, good/ none of them.
func TestRuleCases(t *testing.T) {
	cases := loadDirCases(t)
	if len(cases) == 0 {
		t.Fatal("no rule cases under testdata")
	}
	for _, c := range cases {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			if c.bad {
				got := findingsOf(t, filepath.Join(c.dir, "bad"), c.Deleted, c.rule)
				if !slices.Equal(got, sorted(c.Want)) {
					t.Errorf("bad/: %s findings\n got %q\nwant %q", c.rule, got, sorted(c.Want))
				}
			}
			if c.good {
				if got := findingsOf(t, filepath.Join(c.dir, "good"), c.Deleted, c.rule); len(got) > 0 {
					t.Errorf("good/: unexpected %s findings %q", c.rule, got)
				}
			}
		})
	}
}

// TestEveryRuleHasCases: each registered rule has testdata cases, with at
// least one bad/ variant that finds something (so its messages are
// rendered) and one good/ variant that finds nothing; no case is for an
// unregistered rule (readDirCase refuses those).
func TestEveryRuleHasCases(t *testing.T) {
	bad, good := map[string]int{}, map[string]int{}
	for _, c := range loadDirCases(t) {
		if c.bad {
			bad[c.rule]++
		}
		if c.good {
			good[c.rule]++
		}
	}
	for _, r := range rule.All() {
		id := r.Meta().ID
		if bad[id] == 0 || good[id] == 0 {
			t.Errorf("rule %s has %d bad/ and %d good/ variants under testdata/%s, want at least one of each", id, bad[id], good[id], id)
		}
	}
}

// TestCaseSchemaDocumented: CONTRIBUTING.md "Adding a rule" names every
// field of case.yaml, so the guide cannot fall behind the schema.
func TestCaseSchemaDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "CONTRIBUTING.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Adding a rule")
	if !ok {
		t.Fatal("CONTRIBUTING.md has no \"Adding a rule\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	typ := reflect.TypeFor[ruleCaseFile]()
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		if !strings.Contains(section, "`"+tag+"`") {
			t.Errorf("CONTRIBUTING.md \"Adding a rule\" does not document the case.yaml field `%s`", tag)
		}
	}
}

// TestReadDirCaseRejects: malformed case directories are refused, so
// TestRuleCases cannot pass on a broken case.
func TestReadDirCaseRejects(t *testing.T) {
	tests := []struct {
		name, rule, yaml, want string
		dirs                   []string
	}{
		{"unknown rule", "no-such-rule", "about: x\nwant: [a.js:1 api]\n", "not a registered rule", []string{"bad"}},
		{"no about", "unknown-option", "want: [a.js:1 api]\n", "no about", []string{"bad"}},
		{"unknown field", "unknown-option", "about: x\nwants: [a]\n", "not found", []string{"bad"}},
		{"want without bad", "unknown-option", "about: x\nwant: [a.js:1 api]\n", "go together", []string{"good"}},
		{"bad without want", "unknown-option", "about: x\n", "go together", []string{"bad"}},
		{"no variant", "unknown-option", "about: x\n", "no bad/ or good/", nil},
		{"stray directory", "unknown-option", "about: x\n", "unexpected", []string{"good", "other"}},
		{"deleted path missing", "ecosystem-file-deleted", "about: x\ndeleted: [ecosystem.config.js]\n", "not in good/", []string{"good"}},
		{"deleted path outside", "ecosystem-file-deleted", "about: x\ndeleted: [../x]\n", "not inside", []string{"good"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tt.rule, "c")
			for _, d := range append([]string{""}, tt.dirs...) {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "case.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readDirCase(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("readDirCase error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// findingsOf audits tree as a change (the change that adds it, or with
// deleted, the change that deletes those paths from it) and returns the
// findings of id at head, sorted, each "path:line app option key=<key>":
// app, option and key only when set, and key only when it is not the
// option itself. Every finding's messages must have rendered.
func findingsOf(t *testing.T, tree string, deleted []string, id string) []string {
	t.Helper()
	ctx := context.Background()
	repo := ruletest.Commit(t, tree, deleted)
	doc, err := audit.RunRange(ctx, repo, "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range doc.Findings {
		if f.Rule != id || f.State == audit.Fixed {
			continue
		}
		parts := []string{f.Path + ":" + strconv.Itoa(f.Line)}
		for _, p := range []string{f.App, f.Option} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if f.Key != "" && f.Key != f.Option {
			parts = append(parts, "key="+f.Key)
		}
		s := strings.Join(parts, " ")
		for _, lang := range report.Languages() {
			tx, err := report.FindingTexts(f, lang)
			if msg := tx.Message; err != nil || strings.TrimSpace(msg) == "" || strings.Contains(msg, "<no value>") || strings.Contains(msg, "%!") {
				t.Errorf("%s (%s): bad message %q (%v)", s, lang, msg, err)
			}
		}
		out = append(out, s)
	}
	return sorted(out)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
