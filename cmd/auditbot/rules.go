package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/report"
)

func newRulesCmd() *cobra.Command {
	var lang string
	c := &cobra.Command{
		Use:   "rules [ID]",
		Short: "List the rules, or explain one",
		Example: `  auditbot rules
  auditbot rules wait-ready-without-handshake --lang en`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if !slices.Contains(report.Languages(), lang) {
				return &exitCodeError{code: exitError, err: fmt.Errorf("unknown --lang %q: want %s", lang, strings.Join(report.Languages(), " or "))}
			}
			w := c.OutOrStdout()
			if len(args) == 0 {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				for _, r := range rule.All() {
					m := r.Meta()
					t, err := report.RuleTexts(lang, m.ID)
					if err != nil {
						return &exitCodeError{code: exitError, err: err}
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\n", m.ID, m.Severity, t.Title)
				}
				return tw.Flush()
			}
			r, ok := rule.Lookup(args[0])
			if !ok {
				return &exitCodeError{code: exitError, err: fmt.Errorf("unknown rule %q (run `auditbot rules` for the list)", args[0])}
			}
			m := r.Meta()
			t, err := report.RuleTexts(lang, m.ID)
			if err != nil {
				return &exitCodeError{code: exitError, err: err}
			}
			var labels [4]string
			for i, k := range []string{"rules_severity", "rules_remediation", "rules_facts", "rules_proof"} {
				if labels[i], err = report.Phrase(lang, k); err != nil {
					return &exitCodeError{code: exitError, err: err}
				}
			}
			fmt.Fprintf(w, "%s — %s\n%s: %s\n\n%s\n\n%s:\n%s\n\n%s: %s\n", m.ID, t.Title, labels[0], m.Severity,
				strings.TrimSpace(t.Description), labels[1], strings.TrimSpace(t.Remediation),
				labels[2], behaviourRefs(m.Behaviours))
			if m.Docs != "" {
				fmt.Fprintf(w, "PM2: %s\n", m.Docs)
			}
			if m.Proof != "" {
				fmt.Fprintf(w, "%s: %s\n", labels[3], m.Proof)
			}
			return nil
		},
	}
	c.Flags().StringVar(&lang, "lang", "es", "language: es or en")
	return c
}

// behaviourRefs cites behaviours as docs/pm2-behaviour.md#<id>.
func behaviourRefs(ids []string) string {
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = pm2.BehaviourRef(id)
	}
	return strings.Join(refs, ", ")
}
