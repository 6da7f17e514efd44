package report

import (
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestFindOptionReadsAsPM2: the report reads the spelling of an option
// PM2 reads (aliases, camelCase, the first truthy one), as the engine
// does, not only the canonical key as written.
func TestFindOptionReadsAsPM2(t *testing.T) {
	app := &audit.App{Name: "api", Options: []audit.Option{
		{Key: "exec", Value: "npm", Line: 3},
		{Key: "interpreterArgs", Value: "--inspect", Line: 4},
		{Key: "wait_ready", Value: false, Line: 5},
		{Key: "waitReady", Value: true, Line: 6},
		{Key: "kill_signal", Value: "SIGTERM", Line: 7},
	}}
	for key, line := range map[string]int{"script": 3, "node_args": 4, "interpreter_args": 4, "wait_ready": 6, "kill_signal": 7} {
		if o := findOption(app, key); o == nil || o.Line != line {
			t.Errorf("findOption(%q) = %+v, want the option at line %d", key, o, line)
		}
	}
	if o := findOption(app, "exec_mode"); o != nil {
		t.Errorf("findOption(exec_mode) = %+v, want none", o)
	}
}

// TestGroupOfFoldsAliases: an option is listed with its group whatever
// spelling the app writes.
func TestGroupOfFoldsAliases(t *testing.T) {
	for key, want := range map[string]string{
		"interpreter": "process", "exec_interpreter": "process", "waitReady": "startup", "interpreterArgs": "memory",
		"combine_logs": "logs", "execMode": "mode", "env_production": "env", "kill_signal": "other",
	} {
		if got := groupOf(key); got != want {
			t.Errorf("groupOf(%q) = %q, want %q", key, got, want)
		}
	}
}
