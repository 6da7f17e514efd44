package report

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestCheckRunUsesTheReportsWords protects the check run's title and
// summary: the report's words (advertencias, notas, the verdict as the
// report says it, plurals right), never "avisos" or a raw "warn"; and
// its counts are the report's ids (one per rule, state, severity and
// app), not the raw findings under them.
func TestCheckRunUsesTheReportsWords(t *testing.T) {
	f := func(rule, sev, state, app, path string) audit.Finding {
		return audit.Finding{Rule: rule, Severity: sev, State: state, App: app, Path: path, Line: 1}
	}
	doc := &audit.Document{
		// Raw: 3 warnings at head, 3 fixed, 4 unchanged.
		Summary: audit.Summary{Warnings: 3, Infos: 1, Fixed: 3, Unchanged: 4, Verdict: "warn"},
		Findings: []audit.Finding{
			f("wait-ready-without-handshake", "error", audit.Fixed, "a", "a.js"),
			f("wait-ready-without-handshake", "error", audit.Fixed, "a", "a.cjs"),
			f("wait-ready-without-handshake", "error", audit.Fixed, "b", "b.js"),
			f("twin-config-drift", "warning", audit.Persisting, "a", "a.js"),
			f("twin-config-drift", "warning", audit.Persisting, "a", "a.cjs"),
			f("kill-signal-not-handled", "warning", audit.Persisting, "a", "a.js"),
			f("helper-script-unreferenced", "info", audit.Persisting, "", "a.js"),
		},
	}
	for lang, want := range map[string][2]string{
		"es": {"PM2: 0 errores, 2 advertencias, 1 nota", "Veredicto: aprobado con advertencias. El cambio introduce 0 hallazgos y corrige 2; 3 siguen sin cambios."},
		"en": {"PM2: 0 errors, 2 warnings, 1 note", "Verdict: approved with warnings. The change introduces 0 findings and fixes 2; 3 unchanged."},
	} {
		title, summary, err := CheckRunOutput(doc, lang)
		if err != nil {
			t.Fatal(err)
		}
		if title != want[0] || !strings.HasPrefix(summary, want[1]) {
			t.Errorf("%s: %q / %q, want %q / %q...", lang, title, summary, want[0], want[1])
		}
		for _, bad := range []string{"avisos", "warn.", "**warn**", "informativos"} {
			if strings.Contains(title+summary, bad) {
				t.Errorf("%s: check run says %q", lang, bad)
			}
		}
	}
	for _, key := range []string{"next_steps", "no_impact", "cut_note", "check_running", "check_no_impact", "check_failed", "check_superseded"} {
		for _, lang := range languages {
			if s, err := GitHubText(lang, key, "cmd", "`x`", "head", "`y`"); err != nil || s == "" {
				t.Errorf("%s: GitHub text %s missing: %v", lang, key, err)
			}
		}
	}
}
