package rule

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
