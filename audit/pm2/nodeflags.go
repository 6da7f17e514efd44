package pm2

import "strings"

// nodeFlags are the long options of node (`node --help`, Node 20) and the
// V8 options people put in node_args, written with dashes, that no other
// interpreter PM2 commonly runs (bash, sh, python, ruby, perl, php)
// accepts. Options every interpreter knows (--help, --version, --eval,
// --print, --check, --test, --interactive) are left out: they say
// nothing about whom the flags were written for.
var nodeFlags = map[string]bool{
	"abort-on-uncaught-exception": true, "conditions": true, "cpu-prof": true, "cpu-prof-dir": true,
	"diagnostic-dir": true, "disable-proto": true, "disable-warning": true, "dns-result-order": true,
	"enable-source-maps": true, "env-file": true, "env-file-if-exists": true, "expose-gc": true,
	"force-fips": true, "frozen-intrinsics": true, "heap-prof": true, "heapsnapshot-near-heap-limit": true,
	"heapsnapshot-signal": true, "huge-max-old-generation-size": true, "icu-data-dir": true, "import": true,
	"input-type": true, "inspect": true, "insecure-http-parser": true, "jitless": true, "loader": true,
	"max-http-header-size": true, "no-addons": true, "deprecation": true, "warnings": true,
	"openssl-config": true, "openssl-legacy-provider": true, "openssl-shared-config": true,
	"pending-deprecation": true, "preserve-symlinks": true, "preserve-symlinks-main": true, "prof": true,
	"redirect-warnings": true, "require": true, "secure-heap": true, "throw-deprecation": true,
	"title": true, "track-heap-objects": true, "unhandled-rejections": true, "use-bundled-ca": true,
	"use-largepages": true, "use-openssl-ca": true, "v8-pool-size": true, "watch": true, "watch-path": true,
	"zero-fill-buffers": true,
	// V8
	"max-old-space-size": true, "max-semi-space-size": true, "max-heap-size": true,
	"initial-old-space-size": true, "initial-heap-size": true, "stack-size": true,
	"stack-trace-limit": true, "nouse-idle-notification": true, "use-idle-notification": true,
	"optimize-for-size": true, "gc-interval": true, "allow-natives-syntax": true, "single-threaded": true,
	"opt": true, "lazy": true, "max-lazy": true,
}

// nodeFlagPrefixes name families of node and V8 options.
var nodeFlagPrefixes = []string{"experimental-", "harmony", "inspect", "trace-", "report-", "tls-",
	"heap-prof-", "cpu-prof-", "allow-", "expose-", "max-old-", "test-"}

// IsNodeFlag reports whether arg is a node or V8 option that other
// interpreters reject (docs/pm2-behaviour.md#interpreter-by-extension: `bash: --max-old-space-size=256: invalid
// option`): `--max-old-space-size=256`, `--max_old_space_size=256`,
// `--require`, `--inspect=9229`, `--no-warnings`, `--harmony`. A short
// option (`-r`, `-u`) is never one: python, ruby and bash have their own.
func IsNodeFlag(arg string) bool {
	name, ok := strings.CutPrefix(strings.TrimSpace(arg), "--")
	if !ok || name == "" {
		return false
	}
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	name = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	if nodeFlags[name] {
		return true
	}
	if n, ok := strings.CutPrefix(name, "no-"); ok && nodeFlags[n] {
		return true
	}
	for _, p := range nodeFlagPrefixes {
		if strings.HasPrefix(name, p) && name != p {
			return true
		}
	}
	return name == "harmony"
}
