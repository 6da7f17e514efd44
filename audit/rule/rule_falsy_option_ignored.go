package rule

import (
	"strings"

	"github.com/auditbot/auditbot/audit/pm2"
)

// falsyOptionIgnored: an option whose key has an underscore and whose value
// is falsy (0, false, ”, null). PM2's validator overwrites it with the
// missing camelCase alias, so the key is dropped (FACTS §5, §13.8): the
// code default applies (max_restarts: 0 means 16), and on `pm2 restart
// <file>` it cannot undo a previous value (wait_ready: false leaves a
// running app waiting, FACTS §11). Keys without underscores (autorestart,
// watch...) are not affected.
type falsyOptionIgnored struct{}

func (falsyOptionIgnored) Meta() Meta {
	return Meta{ID: "falsy-option-ignored", Severity: Warning, Facts: []string{"§5", "§8", "§11", "§13.8"},
		Docs: docsDeclaration, Proof: proofDir("falsy-option-ignored")}
}

// falsyDefaults is what applies instead of a dropped falsy value, from
// PM2's code defaults (FACTS §1, §3, §5, §8).
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
			out = append(out, newFinding(r.Meta(), a, f.Line, canon, f.Key, map[string]any{
				"key":        f.Key,
				"value":      display(f.Value),
				"default":    falsyDefaults[canon],
				"wait_ready": canon == "wait_ready",
			}, f))
		}
	}
	return out
}
