package audit

import (
	"cmp"

	"github.com/auditbot/auditbot/audit/rule"
)

// CompareFindings orders findings as a document lists them: introduced,
// then unchanged, then fixed; within each, the most severe first; then by
// place (CompareFindingPlaces). It is the order of Document.Findings.
func CompareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(stateRank(a.State), stateRank(b.State)),
		cmp.Compare(rule.Severity(b.Severity).Rank(), rule.Severity(a.Severity).Rank()),
		CompareFindingPlaces(a, b),
	)
}

// CompareFindingPlaces orders findings by path, line, rule, app and
// option: the order of a linter's output.
func CompareFindingPlaces(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.App, b.App),
		cmp.Compare(a.Option, b.Option),
	)
}

func stateRank(s string) int {
	switch s {
	case Introduced:
		return 0
	case Persisting:
		return 1
	}
	return 2
}
