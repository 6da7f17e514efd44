package report

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/rule"
)

// idCounts counts finding ids (H1, F1...): the findings of one rule,
// state, severity and app are one id, one row of the report, and every
// count the reader sees (the findings' summary, the first screen, the
// check run) counts ids, never the raw findings under them.
type idCounts struct {
	Introduced, Fixed, Unchanged int
	// At head (introduced and unchanged), by severity.
	Errors, Warnings, Notes int
}

// Total is the number of ids.
func (c idCounts) Total() int { return c.Introduced + c.Fixed + c.Unchanged }

// summary is c as the counts of a Document's Summary.
func (c idCounts) summary() audit.Summary {
	return audit.Summary{Errors: c.Errors, Warnings: c.Warnings, Infos: c.Notes, Introduced: c.Introduced, Fixed: c.Fixed, Unchanged: c.Unchanged}
}

// countIDs counts the ids of fs.
func countIDs(fs []audit.Finding) idCounts {
	var c idCounts
	seen := map[string]bool{}
	for _, f := range fs {
		k := rowKey(f.Rule, f.State, f.Severity, f.App)
		if seen[k] {
			continue
		}
		seen[k] = true
		switch stateOf(f) {
		case StateIntroduced:
			c.Introduced++
		case StateFixed:
			c.Fixed++
			continue
		default:
			c.Unchanged++
		}
		switch severityOf(f) {
		case SeverityError:
			c.Errors++
		case SeverityWarning:
			c.Warnings++
		default:
			c.Notes++
		}
	}
	return c
}

func (b *builder) findings() {
	all := sortedFindings(b.doc.Findings)
	b.v.Counts = countIDs(all)
	counts := map[string]*ruleCount{}
	seen := map[string]bool{}
	for _, f := range all {
		rc := counts[f.Rule]
		if rc == nil {
			rc = &ruleCount{Rule: f.Rule, Severity: f.Severity, Title: b.view(f).Title}
			counts[f.Rule] = rc
		}
		if k := rowKey(f.Rule, f.State, f.Severity, f.App); !seen[k] {
			seen[k] = true
			switch f.State {
			case audit.Introduced:
				rc.Introduced++
			case audit.Fixed:
				rc.Fixed++
			default:
				rc.Unchanged++
			}
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
		b.v.Findings = append(b.v.Findings, b.view(f))
	}
	// Rows by state: introduced, fixed, then unchanged, numbered in that
	// order over every finding (the ids do not depend on the list limit).
	prefix := b.cat.Words["label"]["finding_id"]
	b.ids = map[string]string{}
	rows := groupFindings(all, b.view)
	b.v.UnchangedBySev = map[string]int{}
	for _, st := range []string{audit.Introduced, audit.Fixed, audit.Persisting} {
		for _, r := range rows {
			if r.State != st {
				continue
			}
			r.ID = md(prefix + strconv.Itoa(len(b.ids)+1))
			b.ids[rowKey(r.Rule, r.State, r.Severity, r.App)] = string(r.ID)
			switch st {
			case audit.Introduced:
				b.v.IntroducedRows = append(b.v.IntroducedRows, r)
			case audit.Fixed:
				b.v.FixedRows = append(b.v.FixedRows, r)
			default:
				b.v.UnchangedRows = append(b.v.UnchangedRows, r)
				b.v.UnchangedBySev[r.Severity]++
			}
		}
	}
	for _, r := range groupFindings(shown, b.view) {
		r.ID = md(b.ids[rowKey(r.Rule, r.State, r.Severity, r.App)])
		b.v.FindingRows = append(b.v.FindingRows, r)
	}
	stateRank := map[string]int{audit.Introduced: 0, audit.Fixed: 1, audit.Persisting: 2}
	sort.SliceStable(b.v.FindingRows, func(i, j int) bool {
		ri, rj := b.v.FindingRows[i], b.v.FindingRows[j]
		if a, c := stateRank[ri.State], stateRank[rj.State]; a != c {
			return a < c
		}
		return false
	})
	b.v.IntroducedRows = capped(b.v.IntroducedRows, max(b.lim.list, 10))
	b.v.FixedRows = capped(b.v.FixedRows, max(b.lim.list, 10))
	b.v.FindingsHidden = b.v.Counts.Total() - len(b.v.FindingRows)
	for _, f := range all {
		if f.About.Subject != rule.HelperScript {
			continue
		}
		h := helperView{ID: md(b.idOf(f)), Path: f.Path, Evidence: f.Evidence}
		for _, e := range f.Evidence {
			if e.Path != "" {
				h.Path = e.Path
				break
			}
		}
		b.v.Helpers = append(b.v.Helpers, h)
	}
	b.v.Helpers = capped(b.v.Helpers, b.lim.list)
}

// groupFindings puts the findings of one rule, state, severity and app in
// one row with all their locations, in the order of their first finding.
func groupFindings(fs []audit.Finding, view func(audit.Finding) findingView) []findingRow {
	idx := map[string]int{}
	var out []findingRow
	for _, f := range fs {
		k := rowKey(f.Rule, f.State, f.Severity, f.App)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, findingRow{Rule: f.Rule, Severity: f.Severity, State: f.State, App: f.App})
		}
		fv := view(f)
		if out[i].Title == "" {
			out[i].Title = fv.Title
		}
		out[i].Locs = appendNew(out[i].Locs, location(f.Path, f.Line))
		out[i].Items = append(out[i].Items, fv)
	}
	for i := range out {
		out[i].Said = sayOnce(out[i].Items)
	}
	return out
}

// numberRun splits messages into numbers and the text between them.
var numberRun = regexp.MustCompile(`[0-9]+`)

// sayOnce merges the messages of a row that differ only in their numbers
// (the same finding in twin files, 15000 ms in one and 10000 in the
// other): one message, the differing numbers joined by " / " in the
// order of the locations.
func sayOnce(items []findingView) []saidMessage {
	var out []saidMessage
	var nums [][][]string // per said message, per location, its numbers
	for _, it := range items {
		loc := location(it.Path, it.Line)
		shape := numberRun.ReplaceAllString(it.Message, "0")
		merged := false
		for i := range out {
			if numberRun.ReplaceAllString(out[i].Message, "0") == shape {
				out[i].Locs = append(out[i].Locs, loc)
				nums[i] = append(nums[i], numberRun.FindAllString(it.Message, -1))
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, saidMessage{Locs: []string{loc}, Message: it.Message})
			nums = append(nums, [][]string{numberRun.FindAllString(it.Message, -1)})
		}
	}
	for i := range out {
		if len(nums[i]) < 2 {
			continue
		}
		k := 0
		out[i].Message = numberRun.ReplaceAllStringFunc(out[i].Message, func(string) string {
			var vals []string
			for _, ns := range nums[i] {
				vals = appendNew(vals, ns[k])
			}
			k++
			return strings.Join(vals, " / ")
		})
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

// rowKey is what groups findings in one row.
func rowKey(rule, state, severity, app string) string {
	return rule + "\x00" + state + "\x00" + severity + "\x00" + app
}

// idOf is the id of the row a finding belongs to.
func (b *builder) idOf(f audit.Finding) string {
	return b.ids[rowKey(f.Rule, f.State, f.Severity, f.App)]
}
