package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"

	"github.com/auditbot/auditbot/audit/ecosystem"
)

// scriptNotFound: the app's script resolves to a path in the repository
// where no file exists: PM2 aborts with `Script not found: <path>`
// (docs/pm2-behaviour.md#config-file-names), or has no script at all: PM2 does not start it ("No script
// path - aborting", docs/pm2-behaviour.md#invalid-values-abort). Scripts run through
// `bash -c`, dynamic scripts and apps the engine could not place are not
// judged.
type scriptNotFound struct{}

func (scriptNotFound) Meta() Meta {
	return Meta{ID: "script-not-found", Severity: Error, Behaviours: []string{"relative-paths", "script-required"},
		Docs: docsDeclaration, Proof: proofDir("script-not-found")}
}

func (r scriptNotFound) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		if noScript(a.App) {
			// `[PM2][ERROR] Error: No script path - aborting` for this
			// app (docs/pm2-behaviour.md#unknown-options-dropped, lib/Common.js prepareAppConf).
			fd := newFinding(r.Meta(), a, a.App.Line, "script", "missing", message.Args{
				"missing": message.BoolOf(true),
			}, cite(a.App, "name")...)
			fd.About = About{Subject: ScriptNotFound, Variant: "missing"}
			if len(fd.Evidence) == 0 {
				fd.Evidence = append(fd.Evidence, configEvidence(a.File.Path, a.App.Line, "app #"+itoa(a.App.Index)+": no script"))
			}
			out = append(out, fd)
			continue
		}
		s := a.Service
		if s != nil && s.UnknownCwd != "" && s.ScriptExists {
			// Which file PM2 finds depends on the directory pm2 is run
			// from, which the repository does not say (docs/pm2-behaviour.md#config-file-names): a
			// warning naming both, not the error.
			line := a.App.Line
			if f, ok := option(a.App, "script"); ok {
				line = f.Line
			}
			fd := newFinding(r.Meta(), a, line, "script", "", message.Args{
				"script": message.CodeOf(scriptOf(a)), "path": message.CodeOf(s.UnknownCwd), "found": message.CodeOf(s.ScriptPath),
				"cwd_unknown": message.BoolOf(true), "config_dir": message.CodeOf(path.Dir(a.File.Path)),
				"missing": message.BoolOf(false),
			}, cite(a.App, "script")...)
			fd.Severity = Warning
			fd.About = About{Subject: ScriptNotFound, Variant: "cwd-unknown"}
			out = append(out, fd)
			continue
		}
		if s == nil || s.ScriptPath == "" || s.ScriptExists || a.PM2.ViaShell || s.BuildOutput {
			continue
		}
		line := a.App.Line
		if f, ok := option(a.App, "script"); ok {
			line = f.Line
		}
		_, cwdSet := option(a.App, "cwd")
		fd := newFinding(r.Meta(), a, line, "script", "", message.Args{
			"script":      message.CodeOf(scriptOf(a)),
			"path":        message.CodeOf(s.ScriptPath),
			"dir":         message.CodeOf(s.Dir),
			"cwd_set":     message.BoolOf(cwdSet),
			"cwd_unknown": message.BoolOf(false),
			"missing":     message.BoolOf(false),
		}, cite(a.App, "script", "cwd")...)
		fd.About.Subject = ScriptNotFound
		out = append(out, fd)
	}
	return out
}

// noScript reports whether an app surely has no script: no `script` (or its
// alias `exec`, or `cmd`/`command`, which PM2 copies to script), and no
// spread of something unknown that could hold one.
func noScript(app *ecosystem.App) bool {
	if app.Dynamic {
		return false
	}
	if _, ok := option(app, "script"); ok {
		return false
	}
	for _, f := range app.Fields {
		if f.Key == "..." || f.Key == "cmd" || f.Key == "command" {
			return false
		}
	}
	return true
}
