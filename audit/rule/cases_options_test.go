package rule

import (
	"github.com/auditbot/auditbot/audit/ecosystem"
)

func casesUnknownOption() []ruleCase {
	const id = "unknown-option"
	return []ruleCase{
		{"well-known mistakes and typos", input(nil, files(file(cfg, app("api", 3,
			kv("max_memory", 4, str("1G")), kv("restart_on_crash", 5, boolean(true)), kv("ready_timeout", 6, num(5000)),
			kv("wait_redy", 7, boolean(true)), kv("foo_bar_baz_qux", 8, num(1))))), nil),
			[]string{w(id, cfg, 4, "api", "max_memory"), w(id, cfg, 5, "api", "restart_on_crash"),
				w(id, cfg, 6, "api", "ready_timeout"), w(id, cfg, 7, "api", "wait_redy"), w(id, cfg, 8, "api", "foo_bar_baz_qux")}},
		{"env_file is kept but useless", input(nil, files(file(cfg, app("api", 3, kv("env_file", 4, str(".env"))))), nil),
			[]string{w(id, cfg, 4, "api", "env_file")}},
		{"known keys, aliases, camelCase, env_*, kill_signal", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("a.js")), kv("interpreter", 5, str("node")), kv("waitReady", 6, boolean(true)),
			kv("env_production", 7, obj()), kv("cmd", 8, str("a.js")), kv("kill_signal", 9, str("SIGTERM"))))), nil), nil},
	}
}

func casesInvalidOptionValue() []ruleCase {
	const id = "invalid-option-value"
	return []ruleCase{
		{"values PM2 rejects", input(nil, files(file(cfg, app("api", 3,
			kv("wait_ready", 4, str("true")), kv("kill_timeout", 5, str("5s")), kv("max_memory_restart", 6, str("1.5G")),
			kv("min_uptime", 7, num(50)), kv("exec_mode", 8, str("Cluster")), kv("env", 9, num(5)),
			kv("max_restarts", 10, num(-1)), kv("min_uptime", 11, str("50"))))), nil),
			[]string{w(id, cfg, 4, "api", "wait_ready"), w(id, cfg, 5, "api", "kill_timeout"),
				w(id, cfg, 6, "api", "max_memory_restart"), w(id, cfg, 7, "api", "min_uptime"),
				w(id, cfg, 8, "api", "exec_mode"), w(id, cfg, 9, "api", "env"), w(id, cfg, 10, "api", "max_restarts"),
				w(id, cfg, 11, "api", "min_uptime")}},
		{"512MB and 512m", input(nil, files(file(cfg, app("a", 3, kv("max_memory_restart", 4, str("512MB"))),
			app("b", 6, kv("max_memory_restart", 7, str("512m"))))), nil),
			[]string{w(id, cfg, 4, "a", "max_memory_restart"), w(id, cfg, 7, "b", "max_memory_restart")}},
		{"values PM2 accepts", input(nil, files(file(cfg, app("api", 3,
			kv("kill_timeout", 4, str("5000")), kv("max_memory_restart", 5, str("300M")), kv("max_memory_restart", 6, num(104857600)),
			kv("min_uptime", 7, str("10s")), kv("instances", 8, str("max")), kv("node_args", 9, str("--a --b")),
			kv("exec_mode", 10, str("cluster_mode")), kv("max_restarts", 11, num(0)), kv("wait_ready", 12, boolean(false)),
			kv("args", 13, arr(str("x"))), kv("env", 14, obj()), kv("watch", 15, arr()), kv("listen_timeout", 16, dyn("T"))))), nil), nil},
	}
}

func casesFalsyOptionIgnored() []ruleCase {
	const id = "falsy-option-ignored"
	return []ruleCase{
		{"falsy underscore keys", input(nil, files(file(cfg, app("api", 3,
			kv("max_restarts", 4, num(0)), kv("wait_ready", 5, boolean(false)), kv("kill_timeout", 6, num(0)),
			kv("log_date_format", 7, str("")), kv("merge_logs", 8, null())))), nil),
			[]string{w(id, cfg, 4, "api", "max_restarts"), w(id, cfg, 5, "api", "wait_ready"), w(id, cfg, 6, "api", "kill_timeout"),
				w(id, cfg, 7, "api", "log_date_format"), w(id, cfg, 8, "api", "merge_logs")}},
		{"keys without underscore and truthy values", input(nil, files(file(cfg, app("api", 3,
			kv("autorestart", 4, boolean(false)), kv("watch", 5, boolean(false)), kv("instances", 6, num(0)),
			kv("max_restarts", 7, num(3)), kv("env_production", 8, str("")), kv("maxRestarts", 9, num(0))))), nil), nil},
	}
}

func casesMemoryLimitVsHeap() []ruleCase {
	const id = "memory-limit-vs-heap"
	node := svcs{"api": svc("svc", "index.js")}
	return []ruleCase{
		// The intended setup (the seed's, and the remediation's): PM2's
		// graceful restart comes before V8's abort. Nothing to report.
		{"limit below heap (seed)", input(nil, files(file(cfg, app("api", 3, kv("max_memory_restart", 4, str("1G")),
			kv("node_args", 5, str("--max-old-space-size=2048"))))), node), nil},
		{"heap below limit", input(nil, files(file(cfg, app("api", 3, kv("max_memory_restart", 4, str("1G")),
			kv("node_args", 5, arr(str("--max_old_space_size=64")))))), node), []string{w(id, cfg, 4, "api", "heap-below-limit")}},
		{"heap from NODE_OPTIONS", input(nil, files(file(cfg, app("api", 3, kv("max_memory_restart", 4, num(1<<30)),
			kv("env", 5, obj(kv("NODE_OPTIONS", 6, str("--max-old-space-size=512"))))))), node),
			[]string{w(id, cfg, 4, "api", "heap-below-limit")}},
		{"no heap flag", input(nil, files(file(cfg, app("api", 3, kv("max_memory_restart", 4, str("1G"))))), node), nil},
		{"invalid limit left to invalid-option-value", input(nil, files(file(cfg, app("api", 3, kv("max_memory_restart", 4, str("1.5G")),
			kv("node_args", 5, str("--max-old-space-size=2048"))))), node), nil},
		{"flags go to bash", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("run.sh")), kv("max_memory_restart", 5, str("1G")),
			kv("node_args", 6, str("--max-old-space-size=64"))))), nil), nil},
		{"through npm neither limit reaches the code", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm")), kv("max_memory_restart", 5, str("1G")),
			kv("env", 6, obj(kv("NODE_OPTIONS", 7, str("--max-old-space-size=64"))))))), svcs{"api": viaPM("npm")}), nil},
		// A real ecosystem file: interpreter 'bun', node_args
		// '--max-old-space-size=384 --smol', max_memory_restart '512M'.
		// Bun runs JavaScriptCore: there is no V8 heap to abort.
		{"bun in fork mode", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("src/main.ts")),
			kv("interpreter", 5, str("bun")), kv("max_memory_restart", 6, str("512M")),
			kv("node_args", 7, str("--max-old-space-size=384 --smol"))))), nil), nil},
		{"bun NODE_OPTIONS", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("interpreter", 5, str("/usr/local/bin/bun")), kv("max_memory_restart", 6, str("512M")),
			kv("env", 7, obj(kv("NODE_OPTIONS", 8, str("--max-old-space-size=256"))))))), nil), nil},
		{"bun in cluster mode runs on node", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("interpreter", 5, str("bun")), kv("exec_mode", 6, str("cluster")), kv("max_memory_restart", 7, str("512M")),
			kv("node_args", 8, str("--max-old-space-size=256"))))), nil), []string{w(id, cfg, 7, "api", "heap-below-limit")}},
	}
}

func casesTwinConfigDrift() []ruleCase {
	const id = "twin-config-drift"
	const cjs = "svc/ecosystem.config.cjs"
	js := file(cfg, app("session-manager", 3, kv("script", 4, str("index.js")), kv("kill_timeout", 5, num(10000)),
		kv("node_args", 6, str("--max-old-space-size=2048")), kv("env", 7, obj(kv("PORT", 8, num(3001))))))
	c := file(cjs, app("session-manager", 4, kv("script", 5, str("index.js")), kv("killTimeout", 6, num(30000)),
		kv("node_args", 7, strSrc(`"--max-old-space-size=1536 --experimental-modules"`, "--max-old-space-size=1536 --experimental-modules")),
		kv("env", 8, obj(kv("PORT", 9, num(3001))))))
	same := file(cjs, app("session-manager", 4, kv("script", 5, strSrc(`"index.js"`, "index.js")), kv("killTimeout", 6, num(10000)),
		kv("node_args", 7, str("--max-old-space-size=2048")), kv("env", 8, obj(kv("PORT", 9, num(3001))))))
	other := file("other/ecosystem.config.cjs", app("session-manager", 4, kv("kill_timeout", 6, num(1))))
	return []ruleCase{
		{"js and cjs differ", input(nil, files(js, c), nil),
			[]string{w(id, cjs, 4, "session-manager", cfg), w(id, cfg, 3, "session-manager", cjs)}},
		{"same options, aliases and quotes aside", input(nil, files(js, same), nil), nil},
		{"different directories", input(nil, files(js, other), nil), nil},
	}
}

// strSrc is a string value written with its source text.
func strSrc(source, s string) valueT {
	v := str(s)
	v.Source = source
	return v
}

func casesOptionsThroughPackageManager() []ruleCase {
	const id = "options-through-package-manager"
	return []ruleCase{
		{"npm start with node_args and max_memory_restart", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("npm")), kv("args", 5, str("start")),
			kv("node_args", 6, str("--max-old-space-size=1024")), kv("max_memory_restart", 7, str("1G"))))),
			svcs{"api": viaPM("npm")}), []string{w(id, cfg, 6, "api", "node_args"), w(id, cfg, 7, "api", "max_memory_restart")}},
		{"interpreter_args alias, yarn, no service resolved", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("yarn")), kv("interpreter_args", 6, str("--inspect"))))), nil),
			[]string{w(id, cfg, 6, "api", "node_args")}},
		{"'pnpm start' through bash", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("pnpm start")), kv("max_memory_restart", 7, str("300M"))))), nil),
			[]string{w(id, cfg, 7, "api", "max_memory_restart")}},
		{"interpreter none: node_args are ignored, another rule's case; the memory limit still misses the code", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("npm")), kv("interpreter", 5, str("none")), kv("node_args", 6, str("--max-old-space-size=1024")),
			kv("max_memory_restart", 7, str("1G"))))), nil), []string{w(id, cfg, 7, "api", "max_memory_restart")}},
		{"'npm start' with node_args: bash gets them, another rule's case", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("npm start")), kv("node_args", 6, str("--max-old-space-size=1024"))))), nil), nil},
		{"the code started directly", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("server.js")), kv("node_args", 6, str("--max-old-space-size=1024")),
			kv("max_memory_restart", 7, str("1G"))))), svcs{"api": svc("svc", "server.js")}), nil},
		{"npm without those options", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("npm")), kv("args", 5, str("start")), kv("kill_timeout", 6, num(5000))))),
			svcs{"api": viaPM("npm")}), nil},
		{"empty node_args says nothing", input(nil, files(file(cfg, app("api", 3,
			kv("script", 4, str("npm")), kv("node_args", 6, str(""))))), svcs{"api": viaPM("npm")}), nil},
	}
}

func casesWatchOwnLogFiles() []ruleCase {
	const id = "watch-own-log-files"
	on := kv("watch", 4, boolean(true))
	out := kv("out_file", 6, str("./logs/out.log"))
	repoPath := func(p string) ecosystem.Value {
		return ecosystem.Value{Kind: ecosystem.KindString, Str: p, RepoPath: true}
	}
	one := func(fields ...ecosystem.Field) *Input {
		return input(nil, files(file(cfg, app("api", 3, fields...))), nil)
	}
	return []ruleCase{
		{"watch true, relative out_file", one(on, out), []string{w(id, cfg, 6, "api", "out_file")}},
		{"logs directory ignored", one(on, out, kv("ignore_watch", 7, arr(str("node_modules"), str("logs")))), nil},
		{"the log file itself ignored", one(on, out, kv("ignore_watch", 7, arr(str("logs/out.log")))), nil},
		{"ignore_watch without the logs", one(on, out, kv("ignore_watch", 7, arr(str("node_modules"), str(".git")))),
			[]string{w(id, cfg, 6, "api", "out_file")}},
		{"ignore_watch *.log covers the logs", one(on, kv("out_file", 6, str("out.log")), kv("ignore_watch", 7, arr(str("*.log")))), nil},
		{"ignore_watch logs/*.log", one(on, out, kv("ignore_watch", 7, arr(str("logs/*.log")))), nil},
		{"ignore_watch log*: the directory", one(on, out, kv("ignore_watch", 7, arr(str("log*")))), nil},
		{"*.log does not reach logs/ (no globstar)", one(on, out, kv("ignore_watch", 7, arr(str("node_modules"), str("*.log")))),
			[]string{w(id, cfg, 6, "api", "out_file")}},
		{"other patterns leave the logs watched", one(on, out, kv("ignore_watch", 7, arr(str(".git"), str("node_modules"), str("*.db"), str("*.lock")))),
			[]string{w(id, cfg, 6, "api", "out_file")}},
		{"globstar: undecided", one(on, out, kv("ignore_watch", 7, arr(str("**/*.log")))), nil},
		{"braces: undecided", one(on, out, kv("ignore_watch", 7, arr(str("{logs,tmp}")))), nil},
		{"absolute log outside the repository's cwd", one(on, kv("error_file", 6, str("/var/log/api/err.log"))), nil},
		{"absolute cwd with its logs inside", one(on, kv("cwd", 5, str("/srv/api")), kv("error_file", 6, str("/srv/api/logs/err.log"))),
			[]string{w(id, cfg, 6, "api", "error_file")}},
		{"relative log under an absolute cwd", one(on, kv("cwd", 5, str("/srv/api")), out), []string{w(id, cfg, 6, "api", "out_file")}},
		{"watch only src", one(kv("watch", 4, arr(str("src"))), out), nil},
		{"watch src and logs", one(kv("watch", 4, arr(str("src"), str("logs"))), out), []string{w(id, cfg, 6, "api", "out_file")}},
		{"watch [] is the cwd", one(kv("watch", 4, arr()), out), []string{w(id, cfg, 6, "api", "out_file")}},
		{"watch off", one(kv("watch", 4, boolean(false)), out), nil},
		{"watch dynamic", one(kv("watch", 4, dyn("process.env.WATCH === '1'")), out), nil},
		{"default ignore skips dot-directories", one(on, kv("out_file", 6, str("./.logs/out.log"))), nil},
		{"/dev/null", one(on, kv("out_file", 6, str("/dev/null"))), nil},
		{"alias output", one(on, kv("output", 6, str("out.log"))), []string{w(id, cfg, 6, "api", "out_file")}},
		{"pid file in the cwd", one(on, kv("pid_file", 6, str("./api.pid"))), []string{w(id, cfg, 6, "api", "pid_file")}},
		{"log_file: true is under PM2_HOME", one(on, kv("log_file", 6, boolean(true))), nil},
		{"watch_options: no claim", one(on, out, kv("watch_options", 7, obj(kv("usePolling", 7, boolean(true))))), nil},
		{"path.join(__dirname, 'logs/out.log')", one(on, kv("out_file", 6, repoPath("svc/logs/out.log"))),
			[]string{w(id, cfg, 6, "api", "out_file")}},
		{"path.join(__dirname, ...) in another service", one(on, kv("out_file", 6, repoPath("other/logs/out.log"))), nil},
	}
}

func casesIgnoreWatchDropsDefaults() []ruleCase {
	const id = "ignore-watch-drops-defaults"
	on := kv("watch", 4, boolean(true))
	one := func(fields ...ecosystem.Field) *Input {
		return input(nil, files(file(cfg, app("api", 3, fields...))), nil)
	}
	return []ruleCase{
		{"logs only", one(on, kv("ignore_watch", 5, arr(str("logs")))), []string{w(id, cfg, 5, "api", "")}},
		{"a single string", one(on, kv("ignore_watch", 5, str("logs"))), []string{w(id, cfg, 5, "api", "")}},
		{"with .git, still without node_modules", one(on, kv("ignore_watch", 5, arr(str("logs"), str(".git")))),
			[]string{w(id, cfg, 5, "api", "")}},
		{"node_modules listed", one(on, kv("ignore_watch", 5, arr(str("node_modules"), str("logs")))), nil},
		{"node_modules in a pattern", one(on, kv("ignore_watch", 5, arr(str("**/node_modules/**")))), nil},
		{"a simple pattern leaves node_modules watched", one(on, kv("ignore_watch", 5, arr(str("*.log")))), []string{w(id, cfg, 5, "api", "")}},
		{"a pattern that covers it", one(on, kv("ignore_watch", 5, arr(str("node_*")))), nil},
		{"globstar: undecided", one(on, kv("ignore_watch", 5, arr(str("**/*.log")))), nil},
		{"no ignore_watch: defaults apply", one(on), nil},
		{"watch only src", one(kv("watch", 4, arr(str("src"))), kv("ignore_watch", 5, arr(str("logs")))), nil},
		{"watch off", one(kv("watch", 4, boolean(false)), kv("ignore_watch", 5, arr(str("logs")))), nil},
	}
}
