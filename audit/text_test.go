package audit_test

import (
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/report"
)

// messageIn is a finding's message as the report phrases it in lang.
func messageIn(t testing.TB, f audit.Finding, lang string) string {
	t.Helper()
	tx, err := report.FindingTexts(f, lang)
	if err != nil {
		t.Fatal(err)
	}
	return tx.Message
}
