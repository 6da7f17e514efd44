package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"strings"

	"github.com/auditbot/auditbot/audit/pm2"
)

// falsyOptionIgnored: an option whose key has an underscore and whose value
// is falsy (0, false, ”, null). PM2's validator overwrites it with the
// missing camelCase alias, so the key is dropped (docs/pm2-behaviour.md#option-aliases, docs/pm2-behaviour.md#falsy-values-dropped): the
// code default applies (max_restarts: 0 means 16), and on `pm2 restart
// <file>` it cannot undo a previous value (wait_ready: false leaves a
// running app waiting, docs/pm2-behaviour.md#file-commands-keep-removed-keys). Keys without underscores (autorestart,
// watch...) are not affected.
type falsyOptionIgnored struct{}

func (falsyOptionIgnored) Meta() Meta {
	return Meta{ID: "falsy-option-ignored", Severity: Warning, Behaviours: []string{"falsy-values-dropped", "unstable-restarts", "file-commands-keep-removed-keys"},
		Docs: docsDeclaration, Proof: proofDir("falsy-option-ignored")}
}

// falsyDefaults is what applies instead of a dropped falsy value, from
// PM2's code defaults (docs/pm2-behaviour.md#wait-ready-timeout, docs/pm2-behaviour.md#kill-signal, docs/pm2-behaviour.md#unknown-options-dropped, docs/pm2-behaviour.md#unstable-restarts).
var falsyDefaults = map[string]string{
	"max_restarts":              "16",
	"kill_timeout":              "1600",
	"listen_timeout":            "3000",
	"min_uptime":                "1000",
	"restart_delay":             "0",
	"source_map_support":        "true",
	"kill_retry_time":           "100",
	"exp_backoff_restart_delay": "0",
}

func (r falsyOptionIgnored) Check(in *Input) []Finding {
	s := pm2.Default()
	var out []Finding
	for _, a := range in.Apps {
		for _, f := range a.App.Fields {
			canon, ok := s.Canonical(f.Key)
			if !ok || !strings.Contains(canon, "_") || strings.HasPrefix(canon, "env_") || f.Key != canon {
				continue
			}
			if !isFalsy(f.Value) {
				continue
			}
			out = append(out, newFinding(r.Meta(), a, f.Line, canon, f.Key, message.Args{
				"key":        message.OptionOf(f.Key),
				"value":      message.CodeOf(display(f.Value)),
				"default":    message.CodeOf(falsyDefaults[canon]),
				"wait_ready": message.BoolOf(canon == "wait_ready"),
			}, f))
		}
	}
	return out
}
