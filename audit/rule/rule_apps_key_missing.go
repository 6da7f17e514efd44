package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/scan"
)

// appsKeyMissing: a file named as an ecosystem file whose export is an
// object with neither `apps` (nor `pm2`) nor a script. PM2 takes the
// object itself as the only app (docs/pm2-behaviour.md#config-file-names: config.apps, else config.pm2,
// else the object), which has no script: `pm2 start` aborts with "No
// script path - aborting" and starts nothing. `app:` for `apps:` is the
// typo met in a real repository. Proven against PM2 in audit/proof.
type appsKeyMissing struct{}

func (appsKeyMissing) Meta() Meta {
	return Meta{ID: "apps-key-missing", Severity: Error, Behaviours: []string{"config-file-names", "script-required"},
		Docs: docsDeclaration, Proof: proofDir("apps-key-missing")}
}

func (r appsKeyMissing) Check(in *Input) []Finding {
	var out []Finding
	m := r.Meta()
	for _, f := range in.NoApps {
		if f == nil || f.AppsDynamic || len(f.Apps) != 1 || f.Apps[0].Dynamic {
			continue
		}
		a := &f.Apps[0]
		if hasScript(a) {
			continue // a single app exported as the object itself
		}
		key, line := closestToApps(a)
		if line <= 0 {
			line = fileLine(f)
		}
		var keys []string
		for _, fl := range a.Fields {
			keys = append(keys, fl.Key)
		}
		out = append(out, Finding{Rule: m.ID, Severity: m.Severity, Path: f.Path, Line: line,
			Args:     message.Args{"file": message.CodeOf(path.Base(f.Path)), "key": message.OptionOf(key), "keys": message.CodesOf(keys)},
			Evidence: []scan.Evidence{exportEvidence(f)}})
	}
	return out
}

// hasScript reports whether an app names what it runs.
func hasScript(a *ecosystem.App) bool {
	for _, k := range []string{"script", "cmd", "command", "exec"} {
		if _, ok := a.Get(k); ok {
			return true
		}
	}
	return false
}

// closestToApps is the exported key most likely meant as `apps` (app,
// Apps, aps, applications...) and its line; "" when none is close.
func closestToApps(a *ecosystem.App) (string, int) {
	for _, fl := range a.Fields {
		k := strings.ToLower(fl.Key)
		if k == "apps" || k == "app" || k == "applications" || k == "application" ||
			levenshtein.ComputeDistance(k, "apps") <= 1 {
			return fl.Key, fl.Line
		}
	}
	return "", 0
}
