package report

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCountsAreTheIDs protects the counts a reader checks against the
// ids (H1, H2...) the report lists: the demo's five findings are three
// ids (the wait_ready finding and the twin pair each in two files), so
// the findings' summary says 3, the first screen's "Sin cambios: H2, H3"
// counts two ids by severity, and the check run counts the same ids, in
// the file report and the pull request comment, in both languages.
func TestCountsAreTheIDs(t *testing.T) {
	doc := loadDoc(t, "demo")
	if len(doc.Findings) == countIDs(doc.Findings).Total() {
		t.Fatal("the demo no longer has findings grouped under one id: the test would prove nothing")
	}
	idRe := regexp.MustCompile(`(?m)^\*\*([HF][0-9]+)\*\* · `)
	summaryRe := regexp.MustCompile(`<details><summary>(?:Hallazgos|Findings) \(([0-9]+)\)</summary>`)
	unchangedRe := regexp.MustCompile(`\*\*(?:Sin cambios|Unchanged):\*\* ([HF0-9, ]+) \(([^)]*)\)`)
	countRe := regexp.MustCompile(`([0-9]+) (?:errores|error|errors|advertencias|advertencia|warnings|warning|notas|nota|notes|note)\b`)
	sum := func(s string) int {
		n := 0
		for _, m := range countRe.FindAllStringSubmatch(s, -1) {
			k, _ := strconv.Atoi(m[1])
			n += k
		}
		return n
	}
	for _, lang := range languages {
		for _, comment := range []bool{false, true} {
			md := render(t, doc, Options{Lang: lang, Now: testNow, Version: "test", Comment: comment, RepoURL: "https://github.com/acme/shop"})
			name := lang + map[bool]string{false: "/file", true: "/comment"}[comment]
			ids := map[string]bool{}
			for _, m := range idRe.FindAllStringSubmatch(md, -1) {
				ids[m[1]] = true
			}
			if len(ids) != 3 {
				t.Errorf("%s: the findings list has ids %v, want 3", name, ids)
			}
			m := summaryRe.FindStringSubmatch(md)
			if m == nil || m[1] != strconv.Itoa(len(ids)) {
				t.Errorf("%s: the findings' summary is %q, want the number of ids (%d)", name, m, len(ids))
			}
			u := unchangedRe.FindStringSubmatch(firstScreen(md))
			if u == nil {
				t.Fatalf("%s: no unchanged ids on the first screen", name)
			}
			listed := len(strings.Split(u[1], ", "))
			if got := sum(u[2]); got != listed {
				t.Errorf("%s: %q counts %d by severity, for %d ids", name, u[0], got, listed)
			}
		}
		title, summary, err := CheckRunOutput(doc, lang)
		if err != nil {
			t.Fatal(err)
		}
		c := countIDs(doc.Findings)
		if got := sum(title); got != c.Introduced+c.Unchanged {
			t.Errorf("%s: the check run title %q counts %d, want the %d ids after the change", lang, title, got, c.Introduced+c.Unchanged)
		}
		if !strings.Contains(summary, " "+strconv.Itoa(c.Fixed)+";") {
			t.Errorf("%s: the check run summary %q does not count %d fixed ids", lang, summary, c.Fixed)
		}
	}
}
