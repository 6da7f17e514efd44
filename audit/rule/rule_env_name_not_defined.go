package rule

import (
	"encoding/json"
	"github.com/auditbot/auditbot/audit/message"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/launcher"
	"github.com/auditbot/auditbot/audit/pm2"
)

// envNameNotDefined: the repository starts an ecosystem file with `--env
// <name>` (in the file's own deploy hooks, the package.json scripts beside
// it, or a Dockerfile) while some of its apps define no `env_<name>`. PM2 prints a
// warning nobody reads on a server and starts those apps with `env` alone
// (docs/pm2-behaviour.md#env-name): `NODE_ENV: 'production'` and the other production values
// are silently missing. Proven against PM2 in audit/proof.
type envNameNotDefined struct{}

func (envNameNotDefined) Meta() Meta {
	return Meta{ID: "env-name-not-defined", Severity: Warning, Behaviours: []string{"env-name"},
		Docs: docsEnvironment, Proof: proofDir("env-name-not-defined")}
}

// envCommandRef is one command that passes --env, and where it is written.
type envCommandRef struct {
	path    string
	line    int
	command string
}

func (r envNameNotDefined) Check(in *Input) []Finding {
	var out []Finding
	for _, f := range in.Files {
		if !f.Loadable || len(f.Apps) == 0 {
			continue
		}
		base := path.Base(f.Path)
		for _, c := range envCommands(in.FS, f) {
			for _, fc := range pm2.FileCommands(c.command) {
				if fc.Env == "" || path.Base(fc.File) != base {
					continue
				}
				name := fc.Env
				missing, decided := appsWithoutEnv(f, name)
				if !decided || len(missing) == 0 {
					continue
				}
				// Only a block whose name is close to the flag's shows the
				// values were meant for it (env_prod for --env production);
				// an app that keeps its production values in env and defines
				// env_development and env_staging runs as intended.
				near := nearEnvs(definedEnvs(f), name)
				if len(near) == 0 {
					continue
				}
				fd := Finding{Rule: r.Meta().ID, Severity: r.Meta().Severity, Path: c.path, Line: c.line,
					App: strings.Join(missing, ", "), Key: name, Args: message.Args{
						"env": message.CodeOf(name), "apps": message.CodesOf(missing), "file": message.CodeOf(f.Path),
						"command": message.CodeOf(c.command), "near": message.CodesOf(near),
					}}
				fd.Evidence = append(fd.Evidence, configEvidence(c.path, c.line, c.command))
				out = append(out, fd)
			}
		}
	}
	return out
}

// StartEnvs are the --env names the repository starts f with, in the
// order its commands give them: the file's deploy hooks, the package.json
// scripts beside it and a Dockerfile there or at the root (docs/pm2-behaviour.md#env-name).
// The report starts an app the same way.
func StartEnvs(fsys fs.FS, f *ecosystem.File) []string {
	var out []string
	base := path.Base(f.Path)
	for _, c := range envCommands(fsys, f) {
		for _, fc := range pm2.FileCommands(c.command) {
			if fc.Env != "" && path.Base(fc.File) == base && !slices.Contains(out, fc.Env) {
				out = append(out, fc.Env)
			}
		}
	}
	return out
}

// envCommands are the commands that may start f with --env: its deploy
// hooks, the scripts of the package.json in its directory, and the
// instructions of a Dockerfile there or at the repository's root.
func envCommands(fsys fs.FS, f *ecosystem.File) []envCommandRef {
	cmds := hookAndScriptCommands(fsys, f)
	seen := map[string]bool{}
	for _, dir := range []string{path.Dir(f.Path), "."} {
		p := path.Join(dir, "Dockerfile")
		if seen[p] {
			continue
		}
		seen[p] = true
		cmds = append(cmds, dockerfileCommands(fsys, p)...)
	}
	return cmds
}

// dockerfileCommands are the RUN, CMD and ENTRYPOINT instructions of a
// Dockerfile that run pm2, each at the line where it starts.
func dockerfileCommands(fsys fs.FS, p string) []envCommandRef {
	var out []envCommandRef
	for _, in := range launcher.ParseDockerfile(launcher.Read(fsys, p)) {
		if in.IsCommand() && strings.Contains(in.Args, "pm2") {
			out = append(out, envCommandRef{p, in.Line, in.Args})
		}
	}
	return out
}

// hookAndScriptCommands are f's deploy hooks and the scripts of the
// package.json in its directory.
func hookAndScriptCommands(fsys fs.FS, f *ecosystem.File) []envCommandRef {
	var cmds []envCommandRef
	for _, h := range f.Deploy {
		if !h.Dynamic {
			cmds = append(cmds, envCommandRef{f.Path, h.Line, h.Command})
		}
	}
	p := path.Join(path.Dir(f.Path), "package.json")
	b := launcher.Read(fsys, p)
	scripts := launcher.Scripts(b)
	lines := strings.Split(string(b), "\n")
	for _, name := range sortedKeys(scripts) {
		script := scripts[name]
		if !strings.Contains(script, "--env") {
			continue
		}
		line := 1
		key, _ := json.Marshal(name)
		for i, l := range lines {
			if strings.Contains(l, string(key)) {
				line = i + 1
				break
			}
		}
		cmds = append(cmds, envCommandRef{p, line, script})
	}
	return cmds
}

// appsWithoutEnv returns the named apps of f with no env_<name> block;
// decided is false when an app is computed or has a spread auditbot could
// not resolve (it may hold the block).
func appsWithoutEnv(f *ecosystem.File, name string) (missing []string, decided bool) {
	for _, a := range f.Apps {
		if a.Dynamic {
			return nil, false
		}
		if _, ok := a.Get("env_" + name); ok {
			continue
		}
		if _, ok := a.Get("..."); ok {
			return nil, false
		}
		n := a.Name
		if n == "" {
			n = f.Path + "#" + itoa(a.Index)
		}
		missing = append(missing, n)
	}
	return missing, true
}

// definedEnvs are the env_<name> blocks the file's apps do define.
func definedEnvs(f *ecosystem.File) []string {
	var names []string
	for _, a := range f.Apps {
		for _, fl := range a.Fields {
			if n, ok := strings.CutPrefix(fl.Key, "env_"); ok && n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// nearEnvs are the defined environment names that look like name: one is
// a prefix of the other or they share their first four letters (prod and
// production, stage and staging), or they are two edits apart (a typo).
func nearEnvs(defined []string, name string) []string {
	var out []string
	for _, d := range defined {
		if d == name {
			continue
		}
		common := 0
		for common < len(d) && common < len(name) && d[common] == name[common] {
			common++
		}
		if strings.HasPrefix(name, d) || strings.HasPrefix(d, name) || common >= 4 ||
			(len(name) >= 4 && levenshtein.ComputeDistance(d, name) <= 2) {
			out = append(out, d)
		}
	}
	return out
}
