package report

//go:generate go test -run ^TestRulesDocUpToDate$ -update .

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
)

// WriteRulesDoc writes the rules document in lang (docs/rules.md is the
// English one): every registered rule with its texts, behaviours, PM2
// docs and proof. Its words are the language's catalog's (rules_doc) and
// rule texts (rules.yaml).
func WriteRulesDoc(w io.Writer, lang string) error {
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		return err
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return err
	}
	h := cat.Words["rules_doc"]
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("%s\n\n# %s\n\n%s\n\n", h["generated"], h["title"], h["intro"])
	p("| %s | %s | %s |\n|---|---|---|\n", h["id"], h["severity"], h["summary"])
	rules := rule.All()
	texts := make([]RuleText, len(rules))
	for i, r := range rules {
		m := r.Meta()
		t, err := cat.rules.texts(opt.Lang, m.ID)
		if err != nil {
			return fmt.Errorf("write rules document: %w", err)
		}
		texts[i] = t
		p("| [`%s`](#%s) | %s | %s |\n", m.ID, m.ID, m.Severity, t.Title)
	}
	for i, r := range rules {
		m, t := r.Meta(), texts[i]
		p("\n## %s\n\n", m.ID)
		p("**%s**\n\n", t.Title)
		p("- %s: `%s`\n", h["severity"], m.Severity)
		p("- %s: %s\n", h["facts"], behaviourLinks(m.Behaviours, docsBehaviourBase))
		p("- %s: <%s>\n", h["docs"], m.Docs)
		if m.Proof != "" {
			p("- %s: [`%s`](../%s)\n", h["proof"], m.Proof, m.Proof)
		} else {
			p("- %s: %s\n", h["proof"], h["noproof"])
		}
		p("\n%s\n\n### %s\n\n%s\n", pm2.LinkBehaviours(t.Description, docsBehaviourBase), h["remedy"],
			pm2.LinkBehaviours(t.Remediation, docsBehaviourBase))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write rules document: %w", err)
	}
	return nil
}

// docsBehaviourBase is where docs/rules.md finds docs/pm2-behaviour.md:
// beside it.
const docsBehaviourBase = "pm2-behaviour.md"

// behaviourLinks cites behaviours as Markdown links "[§id](base#id)".
func behaviourLinks(ids []string, base string) string {
	links := make([]string, len(ids))
	for i, id := range ids {
		links[i] = "[§" + id + "](" + base + "#" + id + ")"
	}
	return strings.Join(links, ", ")
}
