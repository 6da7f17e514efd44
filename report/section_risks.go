package report

import (
	"slices"
	"strings"

	"github.com/auditbot/auditbot/audit"
)

// risks fills section 6.
func (b *builder) risks() {
	seen := map[string]bool{}
	for _, f := range sortedFindings(b.doc.Findings) {
		if f.State == audit.Persisting || seen[f.Rule] {
			continue
		}
		seen[f.Rule] = true
		if f.State == audit.Introduced {
			// The risk of introducing a problem is the problem itself,
			// named by its id (its message is in the findings, its
			// remediation in the next steps).
			fv := b.view(f)
			mitigation := ""
			if fv.Remediation != "" {
				mitigation = b.cat.Phrases["see_next_steps"]
			}
			b.v.Risks = append(b.v.Risks, riskRow{
				Risk: b.idOf(f) + " · " + fv.Title, Probability: b.cat.Words["introduced_probability"][f.Severity],
				Impact: b.cat.Words["introduced_impact"][f.Severity], Mitigation: mitigation,
			})
			continue
		}
		if r, ok := b.cat.risk(f); ok {
			b.v.Risks = append(b.v.Risks, r.row())
		}
	}
	for _, d := range b.v.DeployWarn {
		// Risk texts are messages whose `code` spans the table cell
		// re-renders safely (cellinline).
		span := func(s string) string { return "`" + s + "`" }
		var keys []string
		for _, k := range d.Keys {
			keys = append(keys, span(k))
		}
		kv := []string{"hook", span("deploy." + d.Target + "['" + d.Hook + "']"), "cmd", span(d.Command),
			"keys", strings.Join(keys, ", "), "fix", span(d.Fix)}
		b.v.Risks = append(b.v.Risks, riskRow{
			Risk: b.fill(b.cat.Phrases["deploy_risk"], kv...), Probability: b.cat.Phrases["deploy_risk_probability"],
			Impact: b.cat.Phrases["deploy_risk_impact"], Mitigation: b.fill(b.cat.Phrases["deploy_risk_mitigation"], kv...),
		})
	}
	generic := b.cat.GenericRisks
	if b.v.Type == "source" {
		generic = b.cat.SourceRisks
	}
	conds := b.changeConditions()
	for _, r := range generic {
		if r.When == "" || conds[r.When] {
			b.v.Risks = append(b.v.Risks, r.row())
		}
	}
	rb := rollbackView{BaseSHA: b.doc.Base.SHA, HeadSHA: b.doc.Head.SHA, EmptyBase: b.doc.Base.Empty, Apps: b.v.Proc}
	rb.SingleCommit = rb.EmptyBase || slices.Equal(b.doc.Head.Parents, []string{b.doc.Base.SHA})
	for _, c := range b.doc.Changed {
		switch c.Status {
		case "added":
			rb.Remove = append(rb.Remove, c.Path)
		case "renamed":
			rb.Remove = append(rb.Remove, c.Path)
			if c.OldPath != "" {
				rb.Checkout = append(rb.Checkout, c.OldPath)
			}
		default:
			rb.Checkout = append(rb.Checkout, c.Path)
		}
	}
	if b.lim.list >= 0 && len(rb.Checkout)+len(rb.Remove) > b.lim.list {
		// Too many files to list: the revert of the whole range is shown.
		rb.Checkout, rb.Remove = nil, nil
	}
	b.v.Rollback = rb
	var apps []string
	for _, a := range capped(b.v.Apps, 5) {
		apps = append(apps, mdCode(a))
	}
	for _, c := range b.cat.Rollback {
		b.v.RollbackConditions = append(b.v.RollbackConditions, md(b.fill(c, "app", strings.Join(apps, ", "))))
	}
}

// changeConditions are the facts of the change a generic risk may depend
// on (the catalog's "when"): "removed" when it removes an option,
// "not_removed" when it changes options without removing any, and
// "env_removed" when it removes an environment variable (an env block,
// or a variable from one) that a running process keeps until it is
// deleted (docs/pm2-behaviour.md#file-commands-keep-removed-keys).
func (b *builder) changeConditions() map[string]bool {
	c := map[string]bool{}
	changed := false
	for _, e := range b.doc.Ecosystems {
		for _, ch := range e.Changes {
			if ch.Change == audit.Unchanged {
				continue
			}
			changed = true
			isEnv := ch.Key == "env" || strings.HasPrefix(ch.Key, "env_")
			if ch.Change == audit.Removed {
				c["removed"] = true
				if isEnv {
					c["env_removed"] = true
				}
				continue
			}
			if isEnv && ch.Change == audit.Modified && envVarRemoved(ch.Before, ch.After) {
				c["env_removed"] = true
			}
		}
	}
	c["not_removed"] = changed && !c["removed"]
	return c
}

// envVarRemoved reports whether an env block lost a variable (or became
// unknowable) between two revisions.
func envVarRemoved(before, after *audit.Option) bool {
	if before == nil || before.Dynamic {
		return false
	}
	bm, ok := before.Value.(map[string]any)
	if !ok {
		return false
	}
	if after == nil || after.Dynamic {
		return len(bm) > 0
	}
	am, _ := after.Value.(map[string]any)
	for k := range bm {
		if _, ok := am[k]; !ok {
			return true
		}
	}
	return false
}
