package pm2

import (
	"path"
	"strings"
)

// ConfigKind is how PM2 parses a file it reads as configuration.
type ConfigKind string

// Config kinds, from Common.knonwConfigFileExtensions (docs/pm2-behaviour.md#config-file-names,
// lib/Common.js:242-249).
const (
	ConfigNone ConfigKind = ""
	ConfigJSON ConfigKind = "json"
	ConfigYAML ConfigKind = "yaml"
	ConfigJS   ConfigKind = "js"
	ConfigMJS  ConfigKind = "mjs"
)

// configExtensions is PM2's table, in the order PM2 tests it.
var configExtensions = []struct {
	ext  string
	kind ConfigKind
}{
	{".json", ConfigJSON},
	{".yml", ConfigYAML},
	{".yaml", ConfigYAML},
	{".config.js", ConfigJS},
	{".config.cjs", ConfigJS},
	{".config.mjs", ConfigMJS},
}

// ConfigFileKind reports how PM2 would read the file name as a config
// file, or ConfigNone when `pm2 start <name>` would run it as an
// application instead. PM2's test is a substring test on the name
// (`filename.indexOf(ext) !== -1`, lib/Common.js:256-267), so
// ecosystem.json5 is JSON and ecosystem.js is an app (docs/pm2-behaviour.md#config-file-names).
func ConfigFileKind(name string) ConfigKind {
	base := path.Base(name)
	for _, c := range configExtensions {
		if strings.Contains(base, c.ext) {
			return c.kind
		}
	}
	return ConfigNone
}

// interpreters is lib/API/interpreter.json (docs/pm2-behaviour.md#interpreter-by-extension).
var interpreters = map[string]string{
	".sh":     "bash",
	".py":     "python",
	".rb":     "ruby",
	".php":    "php",
	".pl":     "perl",
	".js":     "node",
	".cjs":    "node",
	".mjs":    "node",
	".coffee": "coffee",
	".ls":     "lsc",
	".ts":     "bun",
	".tsx":    "bun",
}

// Interpreter returns the interpreter PM2 picks for script when the app
// sets none (docs/pm2-behaviour.md#interpreter-by-extension, lib/Common.js:415-468). A script with a space is
// run through bash (ViaShell). An unknown extension runs with node for a
// text file and directly ("none") for a binary; binary tells which.
func Interpreter(script string, binary bool) string {
	if ViaShell(script) {
		return "none"
	}
	return byExtension(script, binary)
}

// byExtension is Interpreter for a script PM2 runs as a file, whatever
// its name holds (exec: 'node app.js' is the file "node app.js").
func byExtension(script string, binary bool) string {
	if i, ok := interpreters[path.Ext(script)]; ok {
		return i
	}
	if binary {
		return "none"
	}
	return "node"
}

// ViaShell reports whether PM2 rewrites the script into `bash -c
// "<script>"` because it contains a space (docs/pm2-behaviour.md#interpreter-by-extension, lib/Common.js:725-745).
func ViaShell(script string) bool {
	return strings.Contains(strings.TrimSpace(script), " ")
}

// InstancesImplyCluster reports whether an `instances` value written
// without exec_mode puts a Node app in cluster mode. PM2 tests
// `instances >= 1 || instances === 0 || instances === -1` ('max' is 0 by
// then), so -2 and below stay in fork mode (docs/pm2-behaviour.md#implicit-cluster-mode, lib/Common.js:339-357).
func InstancesImplyCluster(instances int) bool { return instances >= -1 }

// ClusterMode decides, as PM2 does, whether an app runs in cluster mode
// (docs/pm2-behaviour.md#implicit-cluster-mode, lib/Common.js:339-357): an explicit exec_mode ("cluster",
// "cluster_mode", "fork", "fork_mode") wins; without one, an `instances`
// option that implies cluster (InstancesImplyCluster) does so for a Node
// interpreter only. instancesSet says whether `instances` is written.
func ClusterMode(execMode string, instancesSet bool, instances int, interpreter string) bool {
	if execMode != "" {
		return strings.HasPrefix(execMode, "cluster")
	}
	return instancesSet && InstancesImplyCluster(instances) && IsNode(interpreter)
}

// IsBun reports whether an interpreter is Bun, which runs JavaScriptCore,
// not V8: V8 flags such as --max-old-space-size limit nothing there.
func IsBun(interpreter string) bool {
	base := path.Base(strings.ReplaceAll(interpreter, `\`, "/"))
	return base == "bun" || base == "bun.exe"
}

// IsNode reports whether an interpreter runs JavaScript with Node.js (or
// Bun), i.e. whether node_args are meant for it and cluster mode is
// possible (docs/pm2-behaviour.md#interpreter-by-extension, docs/pm2-behaviour.md#implicit-cluster-mode).
func IsNode(interpreter string) bool {
	base := path.Base(interpreter)
	return base == "node" || base == "nodejs" || strings.HasSuffix(base, "node") ||
		strings.HasPrefix(base, "node@") || base == "bun"
}

// packageManagers are the commands that run a package.json script in a
// child process of their own (npm, yarn and pnpm; yarnpkg is yarn's
// other name).
var packageManagers = map[string]bool{"npm": true, "yarn": true, "yarnpkg": true, "pnpm": true}

// PackageManager returns the package manager a script runs ("npm" for
// `script: 'npm'`, `'/usr/bin/npm'` or `'npm run start'`), or "" when the
// script is something else. Such an app's code runs in a grandchild of
// PM2 without its IPC channel: process.send is undefined there, so the
// code's 'ready' never reaches PM2 (proven in audit/proof,
// wait-ready-through-package-manager;
// docs/pm2-behaviour.md#ready-through-package-manager).
func PackageManager(script string) string {
	cmd, _, _ := strings.Cut(strings.TrimSpace(script), " ")
	if base := path.Base(cmd); packageManagers[base] {
		return base
	}
	return ""
}
