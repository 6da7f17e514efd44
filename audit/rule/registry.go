package rule

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

//go:generate go test -run ^TestRegistryUpToDate$ -update .

// All returns every rule, sorted by ID. The slice is new on every call.
//
// The rules come from registered, in rules_gen.go, which `go generate`
// writes from the rule_<name>.go files (one rule type per file); a test
// fails while it is stale. A generated list rather than init functions
// appending to a package variable: the registry is a pure function of the
// source, with no package-level mutable state and no init order.
func All() []Rule {
	rules := registered()
	sort.Slice(rules, func(i, j int) bool { return rules[i].Meta().ID < rules[j].Meta().ID })
	return rules
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (Rule, bool) {
	for _, r := range All() {
		if r.Meta().ID == id {
			return r, true
		}
	}
	return nil, false
}

// Check runs every rule on in and returns the findings ordered by path,
// line, rule, app and key. A nil input yields no findings.
func Check(in *Input) []Finding {
	if in == nil {
		return nil
	}
	var out []Finding
	for _, r := range All() {
		out = append(out, r.Check(in)...)
	}
	SortFindings(out)
	return out
}

// SortFindings orders findings by path, line, rule, app, key (then
// option, for a total order).
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.App, b.App),
			strings.Compare(a.Key, b.Key),
			strings.Compare(a.Option, b.Option),
		)
	})
}
