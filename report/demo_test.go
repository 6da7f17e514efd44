package report

import (
	"strings"
	"testing"
)

// TestDemoReadsWell protects what a reader of `auditbot demo` saw go
// wrong: reason codes of the scanner listed as options in the
// documentation mentions, whole finding messages pasted into table cells,
// and near-identical rows repeated once per file.
func TestDemoReadsWell(t *testing.T) {
	doc := loadDoc(t, "demo")
	for _, lang := range languages {
		md := render(t, doc, Options{Lang: lang, Now: testNow, Version: "test"})
		docLine := ""
		for _, l := range strings.Split(md, "\n") {
			if strings.Contains(l, "INIT_ENDPOINT_REPORT.md` ") {
				docLine = l
			}
		}
		if docLine == "" || strings.Contains(docLine, "`doc`") || !strings.Contains(docLine, "`listen_timeout`, `process.send('ready')`, `wait_ready`") {
			t.Errorf("%s: documentation mention should name the options only, got %q", lang, docLine)
		}
		rows := map[string]int{}
		for _, l := range strings.Split(md, "\n") {
			if !strings.HasPrefix(l, "|") {
				continue
			}
			for _, f := range doc.Findings {
				msg := viewFinding(f, lang).Message
				if strings.Contains(l, mdCellInline(msg)) || strings.Contains(l, mdInline(msg)) {
					t.Errorf("%s: a table cell holds the whole message of %s: %q", lang, f.Rule, l)
				}
			}
			if rule, _, ok := strings.Cut(strings.TrimPrefix(l, "| `"), "` |"); ok && strings.HasPrefix(l, "| `") {
				rows[rule]++
			}
		}
		// One row per rule, state and app: the demo's three rules, each
		// found in both files (the helper script once).
		for _, r := range []string{"twin-config-drift", "helper-script-unreferenced", "wait-ready-without-handshake"} {
			if rows[r] != 1 {
				t.Errorf("%s: %s has %d rows in the findings table, want 1", lang, r, rows[r])
			}
		}
		// Every message is still written once before section 8 (which
		// describes the helper script in its own words), in the detail list.
		before8, _, _ := strings.Cut(md, "\n## 8.")
		for _, f := range doc.Findings {
			if n := strings.Count(before8, mdInline(viewFinding(f, lang).Message)); n != 1 {
				t.Errorf("%s: the message of %s:%d is written %d times, want once", lang, f.Path, f.Line, n)
			}
		}
	}
}
