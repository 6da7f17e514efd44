package rule

import (
	"github.com/auditbot/auditbot/audit/pm2"

	"github.com/auditbot/auditbot/audit/message"
)

// killSignalOption: `kill_signal` (or killSignal) in an app. PM2 has no
// such option: the validator drops it silently and the app is still
// stopped with SIGINT (docs/pm2-behaviour.md#kill-signal, docs/pm2-behaviour.md#no-kill-signal-option). The signal can only be changed
// daemon-wide with PM2_KILL_SIGNAL.
type killSignalOption struct{}

func (killSignalOption) Meta() Meta {
	return Meta{ID: "kill-signal-option", Severity: Warning, Behaviours: []string{"no-kill-signal-option", "kill-signal", "unknown-options-dropped"},
		Docs: docsSignals, Proof: proofDir("kill-signal-option")}
}

// isKillSignalKey reports whether key is a spelling of the non-existent
// kill_signal option.
func isKillSignalKey(key string) bool { return key == "kill_signal" || key == "killSignal" }

func (r killSignalOption) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		for _, f := range a.App.Fields {
			if !isKillSignalKey(f.Key) {
				continue
			}
			s, _ := stringOf(f.Value)
			fd := newFinding(r.Meta(), a, f.Line, "kill_signal", f.Key, message.Args{
				"key":        message.OptionOf(f.Key),
				"value":      message.CodeOf(display(f.Value)),
				"signal":     message.CodeOf(s),
				"is_default": message.BoolOf(s == pm2.KillSignal),
				"actual":     message.CodeOf(pm2.KillSignal),
			}, f)
			out = append(out, fd)
		}
	}
	return out
}
