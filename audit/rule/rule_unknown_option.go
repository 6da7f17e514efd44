package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/auditbot/auditbot/audit/pm2"
)

// unknownOption: a key PM2's schema does not know, after aliases,
// camelCase spellings and env_* names (docs/pm2-behaviour.md#option-aliases, docs/pm2-behaviour.md#unknown-options-dropped). PM2's validator
// drops it silently. The closest known option is suggested; well-known
// mistakes map to what was meant. env_file is a special case: PM2 keeps
// it as an environment named "file" and loads nothing from it. kill_signal
// has its own rule (kill-signal-option).
type unknownOption struct{}

func (unknownOption) Meta() Meta {
	return Meta{ID: "unknown-option", Severity: Warning, Behaviours: []string{"unknown-options-dropped"},
		Docs: docsDeclaration, Proof: proofDir("unknown-option")}
}

// knownMistakes maps keys people write to the option they meant.
var knownMistakes = map[string]string{
	"max_memory":         "max_memory_restart",
	"maxMemory":          "max_memory_restart",
	"memory_limit":       "max_memory_restart",
	"restart_on_crash":   "autorestart",
	"auto_restart":       "autorestart",
	"ready_timeout":      "listen_timeout",
	"readyTimeout":       "listen_timeout",
	"wait_ready_timeout": "listen_timeout",
	"shutdown_timeout":   "kill_timeout",
	"graceful_timeout":   "kill_timeout",
	"mode":               "exec_mode",
	"execMode":           "exec_mode",
	"instance":           "instances",
	"nodeArgs":           "node_args",
	"log_dir":            "out_file",
	"logs":               "log_file",
	"working_dir":        "cwd",
	"max_restart":        "max_restarts",
	"restart_delay_ms":   "restart_delay",
}

func (r unknownOption) Check(in *Input) []Finding {
	s := pm2.Default()
	var out []Finding
	for _, a := range in.Apps {
		for _, f := range a.App.Fields {
			if isKillSignalKey(f.Key) {
				continue
			}
			envFile := f.Key == "env_file" || f.Key == "envFile"
			if _, ok := s.Canonical(f.Key); ok && !envFile {
				continue
			}
			suggestion := ""
			if !envFile {
				suggestion = suggestOption(s, f.Key)
			}
			fd := newFinding(r.Meta(), a, f.Line, f.Key, f.Key, message.Args{
				"key":        message.OptionOf(f.Key),
				"suggestion": message.OptionOf(suggestion),
				"env_file":   message.BoolOf(envFile),
				"value":      message.CodeOf(display(f.Value)),
			}, f)
			out = append(out, fd)
		}
	}
	return out
}

// suggestOption returns the known option closest to key, or "".
func suggestOption(s *pm2.Schema, key string) string {
	if m, ok := knownMistakes[key]; ok {
		return m
	}
	lower := strings.ToLower(key)
	best, bestDist := "", 1<<30
	for _, k := range s.Keys() {
		for _, cand := range []string{k, pm2.CamelCase(k)} {
			d := levenshtein.ComputeDistance(lower, strings.ToLower(cand))
			if d < bestDist || (d == bestDist && k < best) {
				best, bestDist = k, d
			}
		}
	}
	limit := len(key) / 3
	if limit < 2 {
		limit = 2
	}
	if bestDist > limit {
		return ""
	}
	return best
}
