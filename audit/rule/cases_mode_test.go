package rule

import "github.com/auditbot/auditbot/audit/scan"

func casesNodeArgsNonNodeInterpreter() []ruleCase {
	const id = "node-args-non-node-interpreter"
	return []ruleCase{
		{".sh script with node_args", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("run.sh")),
			kv("node_args", 5, str("--max-old-space-size=256"))))), svcs{"x": svc("svc", "run.sh")}),
			[]string{w(id, cfg, 5, "x", "")}},
		{"explicit interpreter bash, interpreter_args, no service", input(nil, files(file(cfg, app("x", 3,
			kv("script", 4, str("app.js")), kv("interpreter", 5, str("bash")),
			kv("interpreter_args", 6, arr(str("--max-old-space-size=256")))))), nil),
			[]string{w(id, cfg, 6, "x", "")}},
		{"python by extension, interpreterArgs", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("app.py")),
			kv("interpreterArgs", 5, str("--trace-warnings"))))), nil), []string{w(id, cfg, 5, "x", "")}},
		{"script with spaces: ignored", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("node app.js")),
			kv("node_args", 5, str("--max-old-space-size=256"))))), svcs{"x": with(svc("svc", "node app.js"),
			func(s *Service) { s.ScriptPath = "" })}), []string{w(id, cfg, 5, "x", "")}},
		{"node script", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("index.js")),
			kv("node_args", 5, str("--max-old-space-size=2048"))))), svcs{"x": svc("svc", "index.js")}), nil},
		{"cluster mode: execArgv", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("run.sh")),
			kv("exec_mode", 5, str("cluster")), kv("node_args", 6, str("--max-old-space-size=256"))))), nil), nil},
		{"empty node_args", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("run.sh")),
			kv("node_args", 5, str(" "))))), nil), nil},
		// A real ecosystem file: interpreter './venv/bin/python3',
		// interpreter_args: '-u'. The flag is python's own.
		{"python's own flag", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("bot.py")),
			kv("interpreter", 5, str("./venv/bin/python3")), kv("interpreter_args", 6, str("-u"))))), nil), nil},
		{"bash's own flags", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("run.sh")),
			kv("node_args", 5, arr(str("-e"), str("-x")))))), nil), nil},
		{"python flag and a V8 flag", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("bot.py")),
			kv("interpreter_args", 5, str("-u --max_old_space_size=512"))))), nil), []string{w(id, cfg, 5, "x", "")}},
		{"interpreter none ignores any flag", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("./bin/server")),
			kv("interpreter", 5, str("none")), kv("interpreter_args", 6, str("-u"))))), nil), []string{w(id, cfg, 6, "x", "")}},
	}
}

func casesForkInstancesFixedPort() []ruleCase {
	const id = "fork-instances-fixed-port"
	fork := func(inst valueT, extra ...fieldT) []fieldT {
		return append([]fieldT{kv("script", 4, str("index.js")), kv("exec_mode", 5, str("fork")), kv("instances", 6, inst)}, extra...)
	}
	envPort := kv("env", 7, obj(kv("PORT", 8, num(3001))))
	return []ruleCase{
		{"env.PORT literal", input(nil, files(file(cfg, app("api", 3, fork(num(2), envPort)...))), nil),
			[]string{w(id, cfg, 6, "api", "")}},
		{"instances max, port option", input(nil, files(file(cfg, app("api", 3, fork(str("max"), kv("port", 9, num(8080)))...))), nil),
			[]string{w(id, cfg, 6, "api", "")}},
		{"env_production PORT string", input(nil, files(file(cfg, app("api", 3, fork(num(-1),
			kv("env_production", 7, obj(kv("PORT", 8, str("3001")))))...))), nil), []string{w(id, cfg, 6, "api", "")}},
		{"port default in code", input(nil, files(file(cfg, app("api", 3, fork(num(4))...))),
			svcs{"api": svc("svc", "index.js", portDefault, listen3001)}), []string{w(id, cfg, 6, "api", "")}},
		{"increment_var PORT", input(nil, files(file(cfg, app("api", 3, fork(num(2), envPort,
			kv("increment_var", 9, str("PORT")))...))), nil), nil},
		{"single instance", input(nil, files(file(cfg, app("api", 3, fork(num(1), envPort)...))), nil), nil},
		{"cluster shares the port", input(nil, files(file(cfg, app("api", 3, kv("exec_mode", 5, str("cluster")),
			kv("instances", 6, num(2)), envPort))), nil), nil},
		{"no fixed port", input(nil, files(file(cfg, app("api", 3, fork(num(2), kv("env", 7, obj(kv("PORT", 8, dyn("process.env.P")))))...))),
			svcs{"api": svc("svc", "index.js", listen3001)}), nil},
		{"listen uses the instance number", input(nil, files(file(cfg, app("api", 3, fork(num(2))...))),
			svcs{"api": svc("svc", "index.js", portDefault,
				ev(scan.Listen, scan.InCode, "svc/index.js", 12, "PORT + Number(process.env.NODE_APP_INSTANCE)"))}), nil},
	}
}

func casesImplicitClusterMode() []ruleCase {
	const id = "implicit-cluster-mode"
	return []ruleCase{
		{"instances 1 without exec_mode", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("instances", 5, num(1))))), svcs{"api": with(svc("svc", "index.js"), func(s *Service) { s.Cluster = true })}),
			[]string{w(id, cfg, 5, "api", "")}},
		{"instances max, no service", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("instances", 5, str("max"))))), nil), []string{w(id, cfg, 5, "api", "")}},
		{"explicit exec_mode", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("exec_mode", 5, str("fork")), kv("instances", 6, num(1))))), nil), nil},
		{"non-node script stays in fork", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("run.sh")),
			kv("instances", 5, num(2))))), nil), nil},
		{"no instances", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js"))))), nil), nil},
		{"instances -1 without exec_mode, no service", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("instances", 5, num(-1))))), nil), []string{w(id, cfg, 5, "api", "")}},
		{"instances -2 stays in fork, no service", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")),
			kv("instances", 5, num(-2))))), nil), nil},
	}
}

func casesClusterModeNonNodeScript() []ruleCase {
	const id = "cluster-mode-non-node-script"
	return []ruleCase{
		{"explicit cluster with .sh", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("run.sh")),
			kv("exec_mode", 5, str("cluster"))))), nil), []string{w(id, cfg, 5, "x", "")}},
		{"cluster with 'node app.js'", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("node app.js")),
			kv("exec_mode", 5, str("cluster_mode"))))), nil), []string{w(id, cfg, 5, "x", "")}},
		{"engine says cluster for instances with interpreter node on .py", input(nil, files(file(cfg, app("x", 3,
			kv("script", 4, str("app.py")), kv("interpreter", 5, str("node")), kv("instances", 6, num(2))))), nil),
			[]string{w(id, cfg, 6, "x", "")}},
		{"cluster with js", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("app.js")),
			kv("exec_mode", 5, str("cluster"))))), nil), nil},
		{"fork with .sh", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("run.sh")),
			kv("exec_mode", 5, str("fork"))))), nil), nil},
	}
}

func casesClusterInterpreterIgnored() []ruleCase {
	const id = "cluster-interpreter-ignored"
	return []ruleCase{
		{"cluster with interpreter path", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("app.js")),
			kv("exec_mode", 5, str("cluster")), kv("interpreter", 6, str("/opt/node18/bin/node"))))), nil),
			[]string{w(id, cfg, 6, "x", "")}},
		{"cluster with node@20", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("app.js")),
			kv("exec_mode", 5, str("cluster")), kv("exec_interpreter", 6, str("node@20"))))), nil),
			[]string{w(id, cfg, 6, "x", "")}},
		{"fork with interpreter", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("app.js")),
			kv("exec_mode", 5, str("fork")), kv("interpreter", 6, str("/opt/node18/bin/node"))))), nil), nil},
		{"cluster with plain node", input(nil, files(file(cfg, app("x", 3, kv("script", 4, str("app.js")),
			kv("exec_mode", 5, str("cluster")), kv("interpreter", 6, str("node"))))), nil), nil},
	}
}

func casesScriptNotFound() []ruleCase {
	const id = "script-not-found"
	missing := func(s *Service) { s.ScriptExists = false }
	return []ruleCase{
		{"missing script", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("server.js"))))),
			svcs{"api": with(svc("svc", "server.js"), missing)}), []string{w(id, cfg, 4, "api", "")}},
		{"present script", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("server.js"))))),
			svcs{"api": svc("svc", "server.js")}), nil},
		{"shell command", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm start"))))),
			svcs{"api": with(svc("svc", "npm start"), missing)}), nil},
		{"build output produced at deploy time", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("dist/main.js"))))),
			svcs{"api": with(svc("svc", "dist/main.js"), func(s *Service) { s.ScriptExists, s.BuildOutput = false, true })}), nil},
		{"dynamic script: no path", input(nil, files(file(cfg, app("api", 3, kv("script", 4, dyn("process.env.S"))))),
			svcs{"api": with(svc("svc", ""), func(s *Service) { s.ScriptPath, s.ScriptExists = "", false })}), nil},
		// A real template: { name: 'APP_NAME', env_production: {...} }
		// next to a deploy section. PM2: "No script path - aborting".
		{"no script option", input(nil, files(file(cfg, app("APP_NAME", 3, kv("env_production", 4,
			obj(kv("NODE_ENV", 5, str("production"))))))), nil), []string{w(id, cfg, 3, "APP_NAME", "missing")}},
		{"exec alias", input(nil, files(file(cfg, app("api", 3, kv("exec", 4, str("server.js"))))),
			svcs{"api": svc("svc", "server.js")}), nil},
		{"cmd, copied to script by PM2", input(nil, files(file(cfg, app("api", 3, kv("cmd", 4, str("server.js"))))), nil), nil},
		{"spread of something unknown", input(nil, files(file(cfg, app("api", 3, kv("...", 4, dyn("base"))))), nil), nil},
	}
}
