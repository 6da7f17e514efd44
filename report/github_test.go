package report

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestCheckRunUsesTheReportsWords protects the check run's title and
// summary: the report's words (advertencias, notas, the verdict as the
// report says it, plurals right), never "avisos" or a raw "warn".
func TestCheckRunUsesTheReportsWords(t *testing.T) {
	doc := &audit.Document{Summary: audit.Summary{Errors: 0, Warnings: 2, Infos: 1, Fixed: 2, Unchanged: 3, Verdict: "warn"}}
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
