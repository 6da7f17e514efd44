package ecosystem

import (
	"path"
	"strings"

	"github.com/auditbot/auditbot/audit/pm2"
)

// DetectFormat tells the format of an ecosystem file from its name and
// whether PM2 would load it as a config file (docs/pm2-behaviour.md#config-file-names: a substring test
// for .json, .yml, .yaml, .config.js, .config.cjs, .config.mjs; see
// pm2.ConfigFileKind). Names PM2 would run as an application instead
// (ecosystem.js, ecosystem.cjs, ecosystem.mjs, *.ts) get their syntax's
// format and loadable=false. A name with no known extension gives ("",
// false).
func DetectFormat(name string) (f Format, loadable bool) {
	base := strings.ToLower(path.Base(name))
	switch pm2.ConfigFileKind(base) {
	case pm2.ConfigJSON:
		return FormatJSON, true
	case pm2.ConfigYAML:
		return FormatYAML, true
	case pm2.ConfigMJS:
		return FormatMJS, true
	case pm2.ConfigJS:
		if strings.Contains(base, ".config.cjs") {
			return FormatCJS, true
		}
		return FormatJS, true
	}
	switch path.Ext(base) {
	case ".js":
		return FormatJS, false
	case ".cjs":
		return FormatCJS, false
	case ".mjs":
		return FormatMJS, false
	case ".ts", ".mts", ".cts":
		return FormatTS, false
	}
	return "", false
}

// candidatePrefixes are the base-name starts of *.config.* files worth
// reading.
var candidatePrefixes = []string{"ecosystem", "pm2", "process", "apps"}

// IsCandidate reports whether a file name is worth reading to check
// whether it is an ecosystem file: *.config.{js,cjs,mjs,ts} whose name
// starts with ecosystem/pm2/process/apps or contains "ecosystem" or "pm2"
// (not vite.config.js, jest.config.js, eslint.config.js...),
// ecosystem*.{js,cjs,mjs,ts,json,json5,yml,yaml}, pm2*.{json,yml,yaml},
// process*.{json,yml,yaml} and *.pm2.{json,yml,yaml}.
func IsCandidate(name string) bool {
	base := strings.ToLower(path.Base(name))
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	switch ext {
	case ".js", ".cjs", ".mjs", ".ts":
		if strings.HasSuffix(stem, ".config") {
			s := strings.TrimSuffix(stem, ".config")
			for _, p := range candidatePrefixes {
				if strings.HasPrefix(s, p) {
					return true
				}
			}
			return strings.Contains(s, "ecosystem") || strings.Contains(s, "pm2")
		}
		return strings.HasPrefix(base, "ecosystem")
	case ".json", ".json5", ".yml", ".yaml":
		if strings.HasPrefix(base, "ecosystem") || strings.HasSuffix(stem, ".pm2") {
			return true
		}
		if ext != ".json5" && strings.HasPrefix(base, "pm2") {
			return true
		}
		return ext != ".json5" && strings.HasPrefix(base, "process")
	}
	return false
}

// genericKeys are PM2 options whose names other JSON and YAML files use
// too (a package.json may have "name" and "env"); they do not make an
// object with a name look like an app.
var genericKeys = map[string]bool{
	"env": true, "port": true, "time": true, "write": true, "force": true, "io": true,
	"v8": true, "args": true, "watch": true, "username": true, "uid": true, "namespace": true,
	"cwd": true, "trace": true, "automation": true, "pmx": true, "vizion": true,
}

// scriptKeys are the options that name what an app runs.
var scriptKeys = []string{"script", "cmd", "command", "exec"}

// LooksLikeEcosystem reports whether a parsed file is an ecosystem file:
// its apps list is dynamic, or at least one app carries a script (script,
// cmd, command, exec) or a name plus at least one other PM2 option. A
// package.json, tsconfig.json or docker-compose.yml, read through the
// same shape rules, has neither.
func LooksLikeEcosystem(f *File) bool {
	if f == nil {
		return false
	}
	schema := pm2.Default()
	for i := range f.Apps {
		a := &f.Apps[i]
		if a.Dynamic {
			continue
		}
		for _, k := range scriptKeys {
			if fl, ok := a.Get(k); ok && (fl.Value.Kind == KindString || fl.Value.Kind == KindDynamic) {
				return true
			}
		}
		if _, ok := a.Get("name"); !ok {
			continue
		}
		for _, fl := range a.Fields {
			if k, ok := schema.Canonical(fl.Key); ok && k != "name" && !genericKeys[k] {
				return true
			}
		}
	}
	// A dynamic apps list is only an ecosystem when the file says so by
	// its name or by exporting `apps`.
	return f.AppsDynamic && (f.Module.ExportNamedApps || f.AppsKey != "")
}
