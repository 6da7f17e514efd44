package rule

// scriptNotFound: the app's script resolves to a path in the repository
// where no file exists: PM2 aborts with `Script not found: <path>`
// (FACTS §4). Scripts run through
// `bash -c`, dynamic scripts and apps the engine could not place are not
// judged.
type scriptNotFound struct{}

func (scriptNotFound) Meta() Meta {
	return Meta{ID: "script-not-found", Severity: Error, Facts: []string{"§4", "§5", "§13.12"},
		Docs: docsDeclaration, Proof: proofDir("script-not-found")}
}

func (r scriptNotFound) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		s := a.Service
		if s == nil || s.ScriptPath == "" || s.ScriptExists || s.ViaShell || s.BuildOutput {
			continue
		}
		line := a.App.Line
		if f, ok := option(a.App, "script"); ok {
			line = f.Line
		}
		_, cwdSet := option(a.App, "cwd")
		out = append(out, newFinding(r.Meta(), a, line, "script", "", map[string]any{
			"script":  s.Script,
			"path":    s.ScriptPath,
			"dir":     s.Dir,
			"cwd_set": cwdSet,
		}, cite(a.App, "script", "cwd")...))
	}
	return out
}
