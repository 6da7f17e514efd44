package rule

import (
	"github.com/auditbot/auditbot/audit/ecosystem"

	"github.com/auditbot/auditbot/audit/message"
)

// watchOwnLogFiles: watch is on and one of the app's own log or pid files
// (out_file, error_file, log_file, pid_file, relative paths resolved
// against cwd, lib/Common.js prepareAppConf) lies in what the watcher
// sees. Every line the app logs is a change that restarts it, and every
// start logs again: a restart loop (docs/pm2-behaviour.md#watch). Proven against
// PM2 in audit/proof.
type watchOwnLogFiles struct{}

func (watchOwnLogFiles) Meta() Meta {
	return Meta{ID: "watch-own-log-files", Severity: Error, Behaviours: []string{"watch"},
		Docs: docsWatch, Proof: proofDir("watch-own-log-files")}
}

// logFileOptions are the options naming files PM2 writes for the app
// (canonical names; option() finds their aliases such as `output`).
var logFileOptions = []string{"out_file", "error_file", "log_file", "pid_file"}

func (r watchOwnLogFiles) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		ws, ok := watchOf(a)
		if !ok {
			continue
		}
		for _, key := range logFileOptions {
			f, ok := option(a.App, key)
			if !ok || f.Value.Kind != ecosystem.KindString || f.Value.Secret {
				continue // log_file: true writes under PM2_HOME
			}
			s := f.Value.Str
			if s == "" || s == "NULL" || s == "/dev/null" || s[0] == '~' {
				continue
			}
			p := place(ws.cwd, f.Value)
			if seen, known := ws.sees(p); !seen || !known {
				continue
			}
			cited := []ecosystem.Field{f, ws.watchField}
			if ws.ignoreField != nil {
				cited = append(cited, *ws.ignoreField)
			}
			out = append(out, newFinding(r.Meta(), a, f.Line, key, key, message.Args{
				"option":  message.OptionOf(f.Key),
				"file":    message.CodeOf(shown(p)),
				"cwd":     message.CodeOf(shown(ws.cwd)),
				"root":    message.BoolOf(shown(ws.cwd) == "."),
				"ignore":  message.BoolOf(ws.ignoreField != nil),
				"pidfile": message.BoolOf(key == "pid_file"),
			}, cited...))
		}
	}
	return out
}
