package report

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestDemoReadsWell protects what a reader of `auditbot demo` saw go
// wrong: reason codes of the scanner listed as options in the
// documentation mentions, whole finding messages pasted into table cells,
// near-identical rows repeated once per file, and the same finding said
// in four or five sections.
func TestDemoReadsWell(t *testing.T) {
	doc := loadDoc(t, "demo")
	for _, lang := range languages {
		md := render(t, doc, Options{Lang: lang, Now: testNow, Version: "test"})
		docLine := ""
		for _, l := range strings.Split(md, "\n") {
			if strings.Contains(l, "INIT_ENDPOINT_REPORT.md`,") {
				docLine = l
			}
		}
		if docLine == "" || strings.Contains(docLine, "`doc`") || !strings.Contains(docLine, "`listen_timeout`, `process.send('ready')`, `wait_ready`") {
			t.Errorf("%s: documentation mention should name the options only, got %q", lang, docLine)
		}
		for _, l := range strings.Split(md, "\n") {
			if !strings.HasPrefix(l, "|") {
				continue
			}
			for _, f := range doc.Findings {
				msg := viewIn(t, f, lang).Message
				if strings.Contains(l, mdCellInline(msg)) || strings.Contains(l, mdInline(msg)) {
					t.Errorf("%s: a table cell holds the whole message of %s: %q", lang, f.Rule, l)
				}
			}
		}
		// One row per rule, state and app: the demo's three rules, each
		// found in both files (the helper script once).
		for _, r := range []string{"twin-config-drift", "helper-script-unreferenced", "wait-ready-without-handshake"} {
			if n := strings.Count(md, "· `"+r+"`"); n != 1 {
				t.Errorf("%s: %s has %d rows in the findings, want 1", lang, r, n)
			}
		}
		// Each finding is said once: no message is written twice, and
		// every message is written (the twin pair's in section 7's table,
		// which the findings list points to).
		for _, f := range doc.Findings {
			msg := mdInline(viewIn(t, f, lang).Message)
			if n := strings.Count(md, msg); n > 1 {
				t.Errorf("%s: the message of %s:%d is written %d times", lang, f.Path, f.Line, n)
			}
		}
		for _, r := range groupFindings(doc.Findings, func(f audit.Finding) findingView { return viewIn(t, f, lang) }) {
			if r.Rule == "twin-config-drift" {
				continue
			}
			for _, s := range r.Said {
				if n := strings.Count(md, mdInline(s.Message)); n != 1 {
					t.Errorf("%s: the message of %s at %v is written %d times, want once", lang, r.Rule, s.Locs, n)
				}
			}
		}
		if strings.Count(md, "session-manager` declara") > 1 || strings.Count(md, "«session-manager» declara") > 1 {
			t.Errorf("%s: the wait_ready message is repeated", lang)
		}
	}
}
