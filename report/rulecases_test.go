package report

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/rule/ruletest"
)

// ruleCaseFindings audits the bad/ tree of every case under
// audit/rule/testdata (as the change that adds it) and returns the
// findings, by rule.
func ruleCaseFindings(t *testing.T) map[string][]audit.Finding {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "audit", "rule", "testdata", "*", "*", "bad"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no rule cases: %v", err)
	}
	out := map[string][]audit.Finding{}
	for _, dir := range dirs {
		var c struct {
			Deleted []string `yaml:"deleted"`
		}
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "case.yaml")); err != nil || yaml.Unmarshal(b, &c) != nil {
			t.Fatalf("%s: no readable case.yaml", dir)
		}
		doc, err := audit.RunRange(context.Background(), ruletest.Commit(t, dir, c.Deleted), "HEAD~1..HEAD", audit.Options{Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, f := range doc.Findings {
			out[f.Rule] = append(out[f.Rule], f)
		}
	}
	return out
}

// TestRuleTexts protects the rule texts against the findings the rules
// really produce: for every finding of every case under
// audit/rule/testdata, the message and remediation render in both
// languages (an argument a text names and the finding lacks is an error,
// never "<no value>"); and every argument a message or remediation names
// is one some finding of its rule carries, of a kind the text can use
// (a count for plural and comparisons with numbers, a list for join and
// range, no bool or record printed).
func TestRuleTexts(t *testing.T) {
	byRule := ruleCaseFindings(t)
	for _, r := range rule.All() {
		id := r.Meta().ID
		if len(byRule[id]) == 0 {
			t.Errorf("%s: no finding in its testdata cases", id)
		}
	}
	for _, lang := range languages {
		c, err := loadCatalog(lang)
		if err != nil {
			t.Fatal(err)
		}
		for id, fs := range byRule {
			for _, f := range fs {
				title, msg, rem, err := c.rules.finding(f)
				if err != nil {
					t.Errorf("%s %s:%d (%s): %v", id, f.Path, f.Line, lang, err)
					continue
				}
				if lang == "es" {
					// The rules' Spanish reads as the report's
					// (TestSpanishReadsAsWritten's lint): short
					// sentences, infinitives, no colon chains.
					for _, m := range spanishMistakes(title + "\n\n" + msg + "\n\n" + rem + "\n") {
						t.Errorf("%s %s:%d: %s", id, f.Path, f.Line, m)
					}
				}
				for what, s := range map[string]string{"title": title, "message": msg, "remediation": rem} {
					if strings.TrimSpace(s) == "" || strings.Contains(s, "<no value>") || strings.Contains(s, "%!") || strings.Contains(s, "map[") {
						t.Errorf("%s %s:%d (%s): bad %s %q", id, f.Path, f.Line, lang, what, s)
					}
				}
			}
		}
		for _, r := range rule.All() {
			id := r.Meta().ID
			if len(byRule[id]) == 0 {
				continue
			}
			carried := map[string][]message.Kind{}
			for _, f := range byRule[id] {
				for k, v := range f.Message.Args {
					if !slices.Contains(carried[k], v.Kind) {
						carried[k] = append(carried[k], v.Kind)
					}
				}
			}
			for what, tm := range map[string]*parse.Tree{"message": c.rules.messages[id].Tree, "remediation": c.rules.remedies[id].Tree} {
				for _, u := range argUses(tm.Root) {
					kinds, ok := carried[u.name]
					if !ok {
						t.Errorf("%s %s (%s) names %q, which no finding of the rule carries", id, what, lang, u.name)
						continue
					}
					for _, k := range kinds {
						if !u.accepts(k) {
							t.Errorf("%s %s (%s) uses %q as %s, but a finding carries it as %s", id, what, lang, u.name, u.use, k)
						}
					}
				}
			}
		}
	}
}

// argUse is how a rule text uses one of its finding's arguments.
type argUse struct {
	name string
	use  string // "printed", "condition", "count", "list", "string"
}

func (u argUse) accepts(k message.Kind) bool {
	switch u.use {
	case "printed":
		return k != message.Bool && k != message.Record
	case "count":
		return k == message.Count
	case "list":
		return k == message.List
	case "string":
		return k == message.Text || k == message.Code || k == message.Option
	}
	return true // a condition reads any kind
}

// argUses walks a template and lists the arguments it names at its top
// level (.name and index . "name"), with how each is used.
func argUses(n parse.Node) []argUse {
	var out []argUse
	// name is the argument an operand names, "" when none.
	name := func(arg parse.Node) string {
		switch a := arg.(type) {
		case *parse.FieldNode:
			return a.Ident[0]
		case *parse.PipeNode:
			if len(a.Cmds) == 1 && len(a.Cmds[0].Args) == 3 {
				if id, ok := a.Cmds[0].Args[0].(*parse.IdentifierNode); ok && id.Ident == "index" {
					if s, ok := a.Cmds[0].Args[2].(*parse.StringNode); ok {
						return s.Text
					}
				}
			}
		}
		return ""
	}
	pipe := func(p *parse.PipeNode, whole string) {
		if p == nil {
			return
		}
		for _, cmd := range p.Cmds {
			if len(cmd.Args) == 0 {
				continue
			}
			fn, _ := cmd.Args[0].(*parse.IdentifierNode)
			if fn == nil {
				if nm := name(cmd.Args[0]); nm != "" {
					out = append(out, argUse{nm, whole})
				}
				continue
			}
			if fn.Ident == "index" {
				if nm := name(&parse.PipeNode{Cmds: []*parse.CommandNode{cmd}}); nm != "" {
					out = append(out, argUse{nm, whole})
				}
				continue
			}
			for i, a := range cmd.Args[1:] {
				nm := name(a)
				if nm == "" {
					continue
				}
				use := "condition"
				switch {
				case fn.Ident == "plural" && i == 0:
					use = "count"
				case fn.Ident == "join" && i == 0:
					use = "list"
				case fn.Ident == "gt" || fn.Ident == "lt" || fn.Ident == "ge" || fn.Ident == "le" || fn.Ident == "eq" || fn.Ident == "ne":
					use = "count"
					for _, other := range cmd.Args[1:] {
						if _, ok := other.(*parse.StringNode); ok {
							use = "string"
						}
					}
				}
				out = append(out, argUse{nm, use})
			}
		}
	}
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case *parse.ListNode:
			if x == nil {
				return
			}
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			pipe(x.Pipe, "printed")
		case *parse.IfNode:
			pipe(x.Pipe, "condition")
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			// with's dot is the value itself, not the arguments.
			pipe(x.Pipe, "condition")
			walk(x.ElseList)
		case *parse.RangeNode:
			pipe(x.Pipe, "list")
			walk(x.ElseList)
		}
	}
	walk(n)
	return out
}

// TestRulesDocUpToDate: docs/rules.md is generated from the registry and
// the English rule texts (go generate ./report).
func TestRulesDocUpToDate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRulesDoc(&buf, "en"); err != nil {
		t.Fatal(err)
	}
	const p = "../docs/rules.md"
	if *update {
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(old, buf.Bytes()) {
		t.Fatalf("docs/rules.md is out of date: run `go generate ./report`")
	}
	for _, r := range rule.All() {
		if !bytes.Contains(buf.Bytes(), []byte("\n## "+r.Meta().ID+"\n")) {
			t.Errorf("docs lack %s", r.Meta().ID)
		}
	}
	var es bytes.Buffer
	if err := WriteRulesDoc(&es, "es"); err != nil || !strings.Contains(es.String(), "Cómo corregirlo") {
		t.Errorf("Spanish docs: %v", err)
	}
}

// TestRuleCatalogsComplete: every registered rule has every text in every
// language, no entry is for an unknown rule, the default language is
// Spanish, and a message whose finding lacks an argument it names is an
// error.
func TestRuleCatalogsComplete(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range rule.All() {
		ids[r.Meta().ID] = true
	}
	for _, lang := range languages {
		rc, err := loadRules(lang)
		if err != nil {
			t.Fatal(err)
		}
		for id := range ids {
			e, ok := rc.entries[id]
			if !ok {
				t.Errorf("%s: no entry for %s", lang, id)
				continue
			}
			for field, v := range map[string]string{"title": e.Title, "description": e.Description, "remediation": e.Remediation, "message": e.Message} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s/%s: empty %s", lang, id, field)
				}
			}
		}
		for id := range rc.entries {
			if !ids[id] {
				t.Errorf("%s: entry for unknown rule %s", lang, id)
			}
		}
	}
	if _, err := RuleTexts("fr", "wait-ready-without-handshake"); err == nil {
		t.Error("unknown language accepted")
	}
	if _, err := RuleTexts("", "no-such-rule"); err == nil {
		t.Error("unknown rule accepted")
	}
	f := audit.Finding{Rule: "wait-ready-without-handshake", Message: message.Message{ID: "wait-ready-without-handshake", Args: message.Args{"app": message.CodeOf("x")}}}
	if _, err := FindingTexts(f, "es"); err == nil {
		t.Error("a message with missing arguments rendered")
	}
	tx, err := RuleTexts("", "wait-ready-without-handshake")
	if err != nil || !strings.Contains(tx.Description, "después") || !strings.Contains(tx.Title, "código") {
		t.Errorf("default language is not Spanish: %+v (%v)", tx, err)
	}
}

// TestArgUses protects TestRuleTexts's reading of templates: it finds the
// arguments a text names and how it uses them, and refuses the kinds that
// do not fit (a bool printed, a name given to plural, a count joined).
func TestArgUses(t *testing.T) {
	tm, err := template.New("t").Funcs(ruleFuncs).Parse(`{{.app}} {{plural .n "a" "b"}} {{join .l ", "}} {{if .b}}x{{end}} {{if eq .c "v"}}y{{end}} {{with index . "o"}}{{.}}{{end}} {{range $i, $d := .rows}}{{$d.k}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range argUses(tm.Tree.Root) {
		got[u.name] = u.use
	}
	want := map[string]string{"app": "printed", "n": "count", "l": "list", "b": "condition", "c": "string", "o": "condition", "rows": "list"}
	if !maps.Equal(got, want) {
		t.Errorf("uses = %v, want %v", got, want)
	}
	for _, c := range []struct {
		use  string
		kind message.Kind
		ok   bool
	}{
		{"printed", message.Bool, false}, {"printed", message.Code, true}, {"printed", message.List, true},
		{"count", message.Code, false}, {"count", message.Count, true}, {"list", message.Count, false},
		{"string", message.Count, false}, {"string", message.Option, true}, {"condition", message.Bool, true},
	} {
		if got := (argUse{"x", c.use}).accepts(c.kind); got != c.ok {
			t.Errorf("%s accepts %s = %v, want %v", c.use, c.kind, got, c.ok)
		}
	}
}
