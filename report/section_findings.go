package report

import (
	"sort"
	"strconv"

	"github.com/auditbot/auditbot/audit"
)

func (b *builder) findings() {
	all := sortedFindings(b.doc.Findings)
	counts := map[string]*ruleCount{}
	for _, f := range all {
		fv := viewFinding(f, b.opt.Lang)
		rc := counts[f.Rule]
		if rc == nil {
			rc = &ruleCount{Rule: f.Rule, Severity: f.Severity, Title: fv.Title}
			counts[f.Rule] = rc
		}
		switch f.State {
		case audit.Introduced:
			rc.Introduced++
		case audit.Fixed:
			rc.Fixed++
		default:
			rc.Unchanged++
		}
		if f.Rule == ruleHelper {
			b.v.Helpers = append(b.v.Helpers, fv)
		}
	}
	for _, rc := range counts {
		b.v.RuleCounts = append(b.v.RuleCounts, *rc)
	}
	sort.Slice(b.v.RuleCounts, func(i, j int) bool {
		a, c := b.v.RuleCounts[i], b.v.RuleCounts[j]
		if sevRank(a.Severity) != sevRank(c.Severity) {
			return sevRank(a.Severity) > sevRank(c.Severity)
		}
		return a.Rule < c.Rule
	})
	shown := capped(all, b.lim.findings)
	for _, f := range shown {
		b.v.Findings = append(b.v.Findings, viewFinding(f, b.opt.Lang))
	}
	b.v.FindingRows = groupFindings(shown, b.opt.Lang)
	b.v.FindingsHidden = len(all) - len(shown)
	b.v.Helpers = capped(b.v.Helpers, b.lim.list)
}

// groupFindings puts the findings of one rule, state, severity and app in
// one row with all their locations, in the order of their first finding.
func groupFindings(fs []audit.Finding, lang string) []findingRow {
	idx := map[string]int{}
	var out []findingRow
	for _, f := range fs {
		k := f.Rule + "\x00" + f.State + "\x00" + f.Severity + "\x00" + f.App
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, findingRow{Rule: f.Rule, Severity: f.Severity, State: f.State, App: f.App, Title: viewFinding(f, lang).Title})
		}
		out[i].Locs = appendNew(out[i].Locs, location(f.Path, f.Line))
		out[i].Items = append(out[i].Items, viewFinding(f, lang))
	}
	return out
}

// location is path:line, or path when the line is unknown.
func location(p string, line int) string {
	if line > 0 {
		return p + ":" + strconv.Itoa(line)
	}
	return p
}
