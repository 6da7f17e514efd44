package audit

import (
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/launcher"
	"github.com/auditbot/auditbot/audit/pm2"
)

// reference adds to cands the files the launcher l (a Dockerfile or a
// package.json) passes to pm2 or pm2-runtime (start, reload, restart,
// startOrReload...), whatever their names: PM2 loads them as config.
// A package.json script runs in the package's directory; a Dockerfile's
// relative paths are taken from its directory (the build context copied
// into WORKDIR), and absolute ones under its last WORKDIR.
func (a *run) reference(cands map[string]bool, l string) {
	b := launcher.Read(a.headFS, l)
	if b == nil {
		return
	}
	dir := path.Dir(l)
	var cmds []string
	workdir := ""
	if path.Base(l) == "package.json" {
		scripts := launcher.Scripts(b)
		for _, k := range slices.Sorted(maps.Keys(scripts)) {
			cmds = append(cmds, scripts[k])
		}
	} else {
		for _, in := range launcher.ParseDockerfile(b) {
			switch {
			case in.Cmd == "WORKDIR":
				workdir = in.Args
			case in.IsCommand() && strings.Contains(in.Args, "pm2"):
				cmds = append(cmds, in.Args)
			}
		}
	}
	for _, c := range cmds {
		for _, arg := range fileArgs(c) {
			if strings.HasPrefix(arg, "/") {
				if workdir == "" || !strings.HasPrefix(arg, strings.TrimSuffix(workdir, "/")+"/") {
					continue
				}
				arg = strings.TrimPrefix(arg, strings.TrimSuffix(workdir, "/")+"/")
			}
			if p, ok := a.configPath(dir, arg); ok {
				cands[p], a.referenced[p] = true, true
			}
		}
	}
}

// runtimeFile matches `pm2-runtime <file>`: pm2-runtime starts a file
// without a subcommand too (pm2.FileCommands reads the commands with one).
var runtimeFile = regexp.MustCompile(`\bpm2-runtime\s+((?:[^\s;&|-])[^\s;&|]*)`)

// fileArgs are the file arguments of the pm2 commands of a command line.
func fileArgs(cmdline string) []string {
	var out []string
	for _, fc := range pm2.FileCommands(cmdline) {
		out = append(out, fc.File)
	}
	for _, m := range runtimeFile.FindAllStringSubmatch(cmdline, -1) {
		out = append(out, m[1])
	}
	return out
}

// configPath resolves the file argument arg of a pm2 command run from
// dir to a path in the repository, when it stays inside it, names a
// regular file at head and PM2 reads it as a config by its name (a
// script such as server.js is run as an app instead).
func (a *run) configPath(dir, arg string) (string, bool) {
	arg = strings.Trim(arg, `"'`)
	if arg == "" || hostAbs(arg) || strings.ContainsAny(arg, "$`*?") {
		return "", false
	}
	p := path.Join(dir, arg)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	if _, loadable := ecosystem.DetectFormat(p); !loadable {
		return "", false
	}
	st, err := fs.Stat(a.headFS, p)
	if err != nil || !st.Mode().IsRegular() {
		return "", false
	}
	return p, true
}
