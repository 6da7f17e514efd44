package proof

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/report"
)

// TestAuditbotAgreesWithPM2 is the other half of every case: the very
// files TestPM2 runs under a real PM2 are audited by auditbot, which must
// give the rule's finding on each misconfigured variant and none on the
// corrected ones. Rule and reality are checked side by side, from one
// case.yaml.
func TestAuditbotAgreesWithPM2(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Rule, func(t *testing.T) {
			_, registered := rule.Lookup(c.Rule)
			for _, v := range c.ExpectFindingIn {
				doc := auditCase(t, caseRepo(t, c.Variant(v)))
				if !registered {
					t.Fatalf("case %s expects findings of %q, which is not a registered rule", c.Rule, c.Rule)
				}
				if !hasFinding(doc, c.Rule) {
					t.Errorf("variant %s: no %s finding at head; findings: %s", v, c.Rule, ruleList(doc))
				}
			}
			for _, v := range c.NoFindingIn {
				doc := auditCase(t, caseRepo(t, c.Variant(v)))
				if hasFinding(doc, c.Rule) {
					t.Errorf("variant %s (corrected): unexpected %s finding; findings: %s", v, c.Rule, ruleList(doc))
				}
			}
			if c.Change == nil {
				return
			}
			doc := auditCase(t, caseRepo(t, c.Variant(c.Change.From), c.Variant(c.Change.To)))
			if registered {
				if !hasFinding(doc, c.Rule) && !hasState(doc, c.Rule, audit.Fixed) {
					t.Errorf("change %s -> %s: no %s finding; findings: %s", c.Change.From, c.Change.To, c.Rule, ruleList(doc))
				}
				return
			}
			// A case that backs the report's operating procedure rather
			// than a rule. procedure-option-like-names runs the report's
			// commands on PM2 itself (proveProcedureOptionLikeNames).
			if c.Rule == "procedure-option-like-names" {
				return
			}
			// procedure-delete-start: the procedure must apply the change the only
			// way PM2 really does (docs/pm2-behaviour.md#file-commands-keep-removed-keys), in both languages.
			for _, lang := range []string{"es", "en"} {
				var buf bytes.Buffer
				if err := report.Markdown(&buf, doc, report.Options{Lang: lang, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
					t.Fatal(err)
				}
				md := buf.String()
				for _, app := range appNames(doc) {
					del := strings.Index(md, "pm2 delete "+app)
					start := strings.Index(md, "pm2 start ecosystem.config.js")
					if del < 0 || start < 0 || start < del {
						t.Errorf("%s report: the procedure does not apply the change with `pm2 delete %s` then `pm2 start <file>`", lang, app)
					}
				}
			}
		})
	}
}

// auditCase audits HEAD~1..HEAD of the repository at dir.
func auditCase(t *testing.T, dir string) *audit.Document {
	t.Helper()
	ctx := context.Background()
	repo, _, err := change.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := audit.RunRange(ctx, repo, "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// hasFinding reports a finding of id that is present at head.
func hasFinding(doc *audit.Document, id string) bool {
	for _, f := range doc.Findings {
		if f.Rule == id && f.State != audit.Fixed {
			return true
		}
	}
	return false
}

func hasState(doc *audit.Document, id, state string) bool {
	for _, f := range doc.Findings {
		if f.Rule == id && f.State == state {
			return true
		}
	}
	return false
}

func ruleList(doc *audit.Document) string {
	var ids []string
	for _, f := range doc.Findings {
		ids = append(ids, f.Rule+"("+f.State+")")
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

func appNames(doc *audit.Document) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range doc.Services {
		if !seen[s.App] {
			seen[s.App] = true
			out = append(out, s.App)
		}
	}
	return out
}
