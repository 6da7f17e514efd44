package audit

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/launcher"
	"github.com/auditbot/auditbot/audit/pm2"
)

// startDirs returns the repository directories from which the repository
// itself starts the ecosystem file cfg with pm2: the directory of a
// package.json whose script runs `pm2 start <cfg>` (npm runs scripts
// there), and, for a Dockerfile that copies its directory into the image
// and starts the file with pm2 or pm2-runtime, the directory its WORKDIR
// names. Each is given once, with where it comes from.
func startDirs(fsys fs.FS, cfg string) map[string]string {
	out := map[string]string{}
	for d := path.Dir(cfg); ; d = path.Dir(d) {
		pkg := path.Join(d, "package.json")
		if b := launcher.Read(fsys, pkg); b != nil {
			for name, script := range launcher.Scripts(b) {
				for _, fc := range pm2.FileCommands(script) {
					if path.Join(d, fc.File) == cfg {
						out[d] = pkg + " (script " + name + ")"
					}
				}
			}
		}
		if d == "." {
			break
		}
	}
	for _, d := range []string{path.Dir(cfg), "."} {
		p := path.Join(d, "Dockerfile")
		if b := launcher.Read(fsys, p); b != nil {
			if dir, line, ok := dockerStartDir(launcher.ParseDockerfile(b), d, cfg); ok {
				out[dir] = p + ":" + strconv.Itoa(line)
			}
		}
	}
	return out
}

// dockerStartDir follows a Dockerfile's WORKDIR and COPY/ADD of its build
// context (the Dockerfile's directory dir, copied whole: `COPY . .`,
// `COPY . /app`) to the pm2 command that starts cfg, and returns the
// repository directory that command runs in, with its line.
func dockerStartDir(instrs []launcher.Instr, dir, cfg string) (string, int, bool) {
	workdir, context := "/", ""
	for _, in := range instrs {
		switch in.Cmd {
		case "FROM":
			workdir, context = "/", ""
		case "WORKDIR":
			if w := strings.TrimSpace(in.Args); w != "" && !strings.Contains(w, "$") {
				workdir = containerPath(workdir, w)
			}
		case "COPY", "ADD":
			var args []string
			for _, a := range strings.Fields(in.Args) {
				if !strings.HasPrefix(a, "--") {
					args = append(args, a)
				}
			}
			if len(args) == 2 && (args[0] == "." || args[0] == "./") && !strings.Contains(args[1], "$") {
				context = containerPath(workdir, args[1])
			}
		case "RUN", "CMD", "ENTRYPOINT":
			if context == "" {
				continue
			}
			for _, fc := range pm2.FileCommands(in.Args) {
				file := containerPath(workdir, fc.File)
				rel, ok := relPath(context, file)
				if !ok || path.Join(dir, rel) != cfg {
					continue
				}
				wrel, ok := relPath(context, workdir)
				if !ok {
					continue
				}
				return path.Join(dir, wrel), in.Line, true
			}
		}
	}
	return "", 0, false
}

// containerPath resolves p against the container directory wd.
func containerPath(wd, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(wd, p)
}

// relPath is p relative to the container directory root, when p is under
// it.
func relPath(root, p string) (string, bool) {
	if p == root {
		return ".", true
	}
	if root == "/" {
		return strings.TrimPrefix(p, "/"), true
	}
	if strings.HasPrefix(p, root+"/") {
		return strings.TrimPrefix(p, root+"/"), true
	}
	return "", false
}

// envAssign finds VAR=value in a shell command (NODE_ENV=production node
// x, cross-env NODE_ENV=production ...).
var envAssign = regexp.MustCompile(`(?:^|[\s;&|])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]*)`)

// appEnv collects the values the repository gives environment variables
// for an app (rule.Service.Env): its env and env_* blocks, the ENV of a
// Dockerfile at the root or beside the config, VAR=value in the scripts
// of the package.json files there. A value that is not a static string
// marks the variable unknown.
func appEnv(fsys fs.FS, cfg string, app *ecosystem.App) (map[string][]string, map[string]bool) {
	env, unknown := map[string][]string{}, map[string]bool{}
	add := func(k, v string) {
		if !slices.Contains(env[k], v) {
			env[k] = append(env[k], v)
		}
	}
	for _, f := range app.Fields {
		if f.Key != "env" && !strings.HasPrefix(f.Key, "env_") {
			continue
		}
		if f.Value.Kind != ecosystem.KindObject {
			unknown["*"] = true
			continue
		}
		for _, v := range f.Value.Fields {
			switch v.Value.Kind {
			case ecosystem.KindString:
				add(v.Key, v.Value.Str)
			case ecosystem.KindNumber, ecosystem.KindBool:
				add(v.Key, v.Value.Source)
			default:
				unknown[v.Key] = true
			}
		}
	}
	dirs := []string{path.Dir(cfg)}
	if dirs[0] != "." {
		dirs = append(dirs, ".")
	}
	for _, d := range dirs {
		if b := launcher.Read(fsys, path.Join(d, "Dockerfile")); b != nil {
			for _, in := range launcher.ParseDockerfile(b) {
				if in.Cmd != "ENV" {
					continue
				}
				if k, _, ok := strings.Cut(in.Args, "="); ok && !strings.ContainsAny(k, " \t") {
					for _, m := range envAssign.FindAllStringSubmatch(in.Args, -1) {
						setShell(add, unknown, m[1], m[2])
					}
				} else if k, v, ok := strings.Cut(in.Args, " "); ok {
					setShell(add, unknown, k, strings.TrimSpace(v))
				}
			}
		}
		if b := launcher.Read(fsys, path.Join(d, "package.json")); b != nil {
			for _, script := range launcher.Scripts(b) {
				for _, m := range envAssign.FindAllStringSubmatch(script, -1) {
					setShell(add, unknown, m[1], m[2])
				}
			}
		}
	}
	if unknown["*"] {
		// An env block that cannot be read may set anything.
		for k := range env {
			unknown[k] = true
		}
	}
	return env, unknown
}

// setShell records a shell value: quotes removed; one with $ is unknown.
func setShell(add func(k, v string), unknown map[string]bool, k, v string) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if strings.ContainsAny(v, "$`") {
		unknown[k] = true
		return
	}
	add(k, v)
}
