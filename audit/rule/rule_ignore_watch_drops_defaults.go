package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
)

// ignoreWatchDropsDefaults: watch covers node_modules and ignore_watch is
// set without it. Setting ignore_watch replaces PM2's default ignore
// (dotfiles and node_modules) instead of adding to it, so an `npm
// install` or `npm ci` on the server restarts the app for every file it
// writes (docs/pm2-behaviour.md#watch). Proven against PM2 in audit/proof.
type ignoreWatchDropsDefaults struct{}

func (ignoreWatchDropsDefaults) Meta() Meta {
	return Meta{ID: "ignore-watch-drops-defaults", Severity: Warning, Behaviours: []string{"ignore-watch-replaces-defaults", "watch"},
		Docs: docsWatch, Proof: proofDir("ignore-watch-drops-defaults")}
}

func (r ignoreWatchDropsDefaults) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		ws, ok := watchOf(a)
		if !ok || ws.ignoreField == nil {
			continue
		}
		// Only an entry that names node_modules keeps it out; a pattern
		// may or may not, and nothing is claimed then.
		mentions := false
		for _, it := range ignoreItems(ws.ignoreField.Value) {
			if it.Kind != ecosystem.KindString || strings.Contains(it.Str, "node_modules") {
				mentions = true
			}
		}
		if mentions || ws.undecidable {
			continue
		}
		nm := ws.cwd + "/node_modules"
		if seen, known := ws.sees(nm + "/x.js"); !seen || !known {
			continue
		}
		dotfiles := true
		for _, it := range ignoreItems(ws.ignoreField.Value) {
			if strings.HasPrefix(it.Str, ".") || strings.Contains(it.Str, "/.") || strings.Contains(it.Str, `\.`) {
				dotfiles = false
			}
		}
		out = append(out, newFinding(r.Meta(), a, ws.ignoreField.Line, "ignore_watch", "", message.Args{
			"ignore":   message.CodeOf(display(ws.ignoreField.Value)),
			"dotfiles": message.BoolOf(dotfiles),
		}, *ws.ignoreField, ws.watchField))
	}
	return out
}

// ignoreItems are the entries of an ignore_watch value (a string or an
// array).
func ignoreItems(v ecosystem.Value) []ecosystem.Value {
	if v.Kind == ecosystem.KindArray {
		return v.Items
	}
	return []ecosystem.Value{v}
}
