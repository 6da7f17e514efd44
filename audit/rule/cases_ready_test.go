package rule

import (
	"fmt"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/scan"
)

// w formats one expected finding.
func w(rule, p string, line int, app, key string) string {
	return fmt.Sprintf("%s %s:%d %s %s", rule, p, line, app, key)
}

const cfg = "svc/ecosystem.config.js"

var (
	handshake   = ev(scan.Handshake, scan.InCode, "svc/index.js", 20, "")
	sigint      = ev(scan.SignalHandler, scan.InCode, "svc/index.js", 30, "SIGINT")
	sigterm     = ev(scan.SignalHandler, scan.InCode, "svc/index.js", 31, "SIGTERM")
	shutdownMsg = ev(scan.ShutdownMessage, scan.InCode, "svc/index.js", 40, "")
	listen3001  = ev(scan.Listen, scan.InCode, "svc/index.js", 12, "PORT")
	portDefault = ev(scan.PortDefault, scan.InCode, "svc/index.js", 5, "3001")
)

func casesWaitReadyWithoutHandshake() []ruleCase {
	const id = "wait-ready-without-handshake"
	docMention := ev(scan.OptionMention, scan.InDoc, "svc/docs/REPORT.md", 728, "process.send")
	withDocs := with(svc("svc", "index.js", sigint), func(s *Service) { s.Scan.Docs = []scan.Evidence{docMention} })
	return []ruleCase{
		{"no handshake in code", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))),
			svcs{"api": svc("svc", "index.js")}), []string{w(id, cfg, 7, "api", "")}},
		{"camelCase alias waitReady", input(nil, files(file(cfg, app("api", 3, kv("waitReady", 8, boolean(true))))),
			svcs{"api": svc("svc", "index.js")}), []string{w(id, cfg, 8, "api", "")}},
		{"doc mention is not an implementation", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))),
			svcs{"api": withDocs}), []string{w(id, cfg, 7, "api", "")}},
		{"ready object is not a handshake", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))),
			svcs{"api": svc("svc", "index.js", ev(scan.ReadyMention, scan.InCode, "svc/index.js", 9, ""))}),
			[]string{w(id, cfg, 7, "api", "")}},
		{"handshake present", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))),
			svcs{"api": svc("svc", "index.js", handshake)}), nil},
		{"handshake only in a comment still missing", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))),
			svcs{"api": svc("svc", "index.js", ev(scan.Handshake, scan.InComment, "svc/index.js", 9, ""))}),
			[]string{w(id, cfg, 7, "api", "")}},
		{"service not scanned: no claim", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))),
			svcs{"api": with(svc("svc", "index.js"), func(s *Service) { s.Scan = nil })}), nil},
		{"no service: no claim", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))), nil), nil},
		{"wait_ready false", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(false))))),
			svcs{"api": svc("svc", "index.js")}), nil},
		{"wait_ready dynamic", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, dyn("process.env.WR"))))),
			svcs{"api": svc("svc", "index.js")}), nil},
		// Through a package manager the code's handshake cannot arrive:
		// wait-ready-through-package-manager says so, not this rule.
		{"npm start with the handshake in the code", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm")),
			kv("args", 5, str("start")), kv("wait_ready", 7, boolean(true))))),
			svcs{"api": viaPM("npm", handshake)}), nil},
		{"npm run start through bash, no service", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm run start")),
			kv("wait_ready", 7, boolean(true))))), nil), nil},
		{"node through bash keeps the channel", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("node server.js")),
			kv("wait_ready", 7, boolean(true))))), svcs{"api": with(svc("svc", "node server.js", handshake),
			func(s *Service) { s.ScriptPath, s.ScriptExists = "", false })}), nil},

		// Tests and fixtures are not the service's code.
		{"handshake only in tests", waitReady(svc("svc", "index.js", testHandshake)), []string{w(id, cfg, 7, "api", "")}},
		{"app whose script is a test file: its tests are its code", waitReady(svc("svc", "test/mock-server.js",
			ev(scan.Handshake, scan.InTest, "svc/test/mock-server.js", 4, scan.HandshakeDetail))), nil},
		// cluster.worker.send('ready') is process.send only in a cluster worker (docs/pm2-behaviour.md#cluster-worker-ready).
		{"worker handshake in fork mode", waitReady(svc("svc", "index.js", workerHandshake)), []string{w(id, cfg, 7, "api", "")}},
		{"worker handshake in cluster mode", waitReady(clusterSvc(workerHandshake)), nil},
		{"worker handshake only in tests, cluster mode", waitReady(clusterSvc(
			ev(scan.WorkerHandshake, scan.InTest, "svc/test/w.test.js", 2, scan.WorkerDetail))), []string{w(id, cfg, 7, "api", "")}},
		// A message decided at run time: no confident error.
		{"possible handshake: undecided, no error", waitReady(svc("svc", "index.js", possible)), nil},
		{"possible handshake only in tests is nothing", waitReady(svc("svc", "index.js",
			ev(scan.PossibleHandshake, scan.InTest, "svc/test/a.test.js", 3, "msg"))), []string{w(id, cfg, 7, "api", "")}},
		{"possible handshake through a package manager: never arrives", npmWaitReady(possible), []string{w(id, cfg, 7, "api", "")}},
		{"unbound process.send is not a handshake", waitReady(svc("svc", "index.js",
			ev(scan.ReadyMention, scan.InCode, "svc/index.js", 9, scan.MentionUnbound))), []string{w(id, cfg, 7, "api", "")}},
	}
}

var (
	testHandshake   = ev(scan.Handshake, scan.InTest, "svc/test/server.test.js", 12, scan.HandshakeDetail)
	workerHandshake = ev(scan.WorkerHandshake, scan.InCode, "svc/index.js", 21, scan.WorkerDetail)
	possible        = ev(scan.PossibleHandshake, scan.InCode, "svc/ipc.js", 8, "msg")
)

// waitReady is app api with wait_ready: true at line 7, running s.
func waitReady(s *Service) *Input {
	return input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))), svcs{"api": s})
}

// clusterSvc is a service PM2 runs in cluster mode.
func clusterSvc(e ...scan.Evidence) *Service {
	return with(svc("svc", "index.js", e...), func(s *Service) { s.Cluster, s.Instances = true, 2 })
}

func casesWaitReadyHandshakeUndecided() []ruleCase {
	const id = "wait-ready-handshake-undecided"
	return []ruleCase{
		{"possible handshake", waitReady(svc("svc", "index.js", possible)), []string{w(id, cfg, 7, "api", "")}},
		{"possible and a literal handshake", waitReady(svc("svc", "index.js", possible, handshake)), nil},
		{"possible and a worker handshake in cluster mode", waitReady(clusterSvc(possible, workerHandshake)), nil},
		{"possible and a worker handshake in fork mode", waitReady(svc("svc", "index.js", possible, workerHandshake)),
			[]string{w(id, cfg, 7, "api", "")}},
		{"possible only in tests", waitReady(svc("svc", "index.js",
			ev(scan.PossibleHandshake, scan.InTest, "svc/test/a.test.js", 3, "msg"))), nil},
		{"no wait_ready", input(nil, files(file(cfg, app("api", 3))), svcs{"api": svc("svc", "index.js", possible)}), nil},
		{"not scanned", waitReady(with(svc("svc", "index.js"), func(s *Service) { s.Scan = nil })), nil},
		{"through a package manager nothing arrives: no doubt", npmWaitReady(possible), nil},
	}
}

// npmWaitReady is app api started with `npm start` and wait_ready: true at
// line 7, whose code has the given evidence.
func npmWaitReady(e ...scan.Evidence) *Input {
	return input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm")), kv("args", 5, str("start")),
		kv("wait_ready", 7, boolean(true))))), svcs{"api": svc("svc", "npm", e...)})
}

// viaPM is a service started through a package manager (`script: 'npm'`),
// as the engine resolves it: a command, not a file of the repository.
func viaPM(script string, e ...scan.Evidence) *Service {
	return with(svc("svc", script, e...), func(s *Service) { s.ScriptPath, s.ScriptExists, s.Interpreter = "", false, "node" })
}

func casesWaitReadyThroughPackageManager() []ruleCase {
	const id = "wait-ready-through-package-manager"
	npmApp := func(script string) ecosystem.App {
		return app("api", 3, kv("script", 4, str(script)), kv("args", 5, str("start")), kv("wait_ready", 7, boolean(true)))
	}
	return []ruleCase{
		{"npm start with the handshake in code", input(nil, files(file(cfg, npmApp("npm"))),
			svcs{"api": viaPM("npm", handshake)}), []string{w(id, cfg, 7, "api", "")}},
		{"yarn by absolute path", input(nil, files(file(cfg, npmApp("/usr/local/bin/yarn"))),
			svcs{"api": viaPM("/usr/local/bin/yarn", handshake)}), []string{w(id, cfg, 7, "api", "")}},
		{"'pnpm start' through bash", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("pnpm start")), kv("wait_ready", 7, boolean(true))))),
			svcs{"api": with(viaPM("pnpm start", handshake), func(s *Service) { s.Interpreter, s.ViaShell = "none", true })}),
			[]string{w(id, cfg, 7, "api", "")}},
		{"no service resolved: the script option decides", input(nil, files(file(cfg, npmApp("npm"))), nil),
			[]string{w(id, cfg, 7, "api", "")}},
		{"'npm run start' through bash, no service", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm run start")),
			kv("wait_ready", 7, boolean(true))))), nil), []string{w(id, cfg, 7, "api", "")}},
		{"service not scanned", input(nil, files(file(cfg, npmApp("npm"))),
			svcs{"api": with(viaPM("npm"), func(s *Service) { s.Scan = nil })}), []string{w(id, cfg, 7, "api", "")}},
		{"no handshake: wait-ready-without-handshake's case", input(nil, files(file(cfg, npmApp("npm"))),
			svcs{"api": viaPM("npm")}), nil},
		{"handshake only in a comment", input(nil, files(file(cfg, npmApp("npm"))),
			svcs{"api": viaPM("npm", ev(scan.Handshake, scan.InComment, "svc/index.js", 9, ""))}), nil},
		{"the code started directly", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js")), kv("wait_ready", 7, boolean(true))))),
			svcs{"api": svc("svc", "index.js", handshake)}), nil},
		{"npm without wait_ready", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm")), kv("args", 5, str("start"))))),
			svcs{"api": viaPM("npm", handshake)}), nil},
		{"npx is not claimed", input(nil, files(file(cfg, npmApp("npx"))),
			svcs{"api": viaPM("npx", handshake)}), nil},
	}
}

func casesHandshakeWithoutWaitReady() []ruleCase {
	const id = "handshake-without-wait-ready"
	return []ruleCase{
		{"handshake, no wait_ready", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("index.js"))))),
			svcs{"api": svc("svc", "index.js", handshake)}), []string{w(id, cfg, 3, "api", "")}},
		{"handshake, wait_ready false", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 9, boolean(false))))),
			svcs{"api": svc("svc", "index.js", handshake)}), []string{w(id, cfg, 9, "api", "")}},
		{"handshake and wait_ready", input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 9, boolean(true))))),
			svcs{"api": svc("svc", "index.js", handshake)}), nil},
		{"no handshake", input(nil, files(file(cfg, app("api", 3))), svcs{"api": svc("svc", "index.js")}), nil},
		{"through npm the message cannot reach PM2: no advice to wait for it", input(nil, files(file(cfg, app("api", 3, kv("script", 4, str("npm"))))),
			svcs{"api": viaPM("npm", handshake)}), nil},
		{"handshake only in docs", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", ev(scan.Handshake, scan.InDoc, "svc/README.md", 3, ""))}), nil},
		{"handshake only in tests", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", testHandshake)}), nil},
		{"worker handshake, cluster mode", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": clusterSvc(workerHandshake)}), []string{w(id, cfg, 3, "api", "")}},
		{"worker handshake, fork mode", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", workerHandshake)}), nil},
		{"possible handshake is not claimed", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", possible)}), nil},
	}
}

func casesListenTimeoutWithoutEffect() []ruleCase {
	const id = "listen-timeout-without-effect"
	cluster := func() *Service { return with(svc("svc", "index.js"), func(s *Service) { s.Cluster = true }) }
	return []ruleCase{
		{"fork without wait_ready", input(nil, files(file(cfg, app("api", 3, kv("listen_timeout", 8, num(10000))))),
			svcs{"api": svc("svc", "index.js")}), []string{w(id, cfg, 8, "api", "")}},
		{"fork, no service, computed from exec_mode", input(nil, files(file(cfg, app("api", 3,
			kv("exec_mode", 4, str("fork")), kv("listenTimeout", 8, num(10000))))), nil), []string{w(id, cfg, 8, "api", "")}},
		{"with wait_ready it has an effect", input(nil, files(file(cfg, app("api", 3,
			kv("wait_ready", 7, boolean(true)), kv("listen_timeout", 8, num(10000))))), svcs{"api": svc("svc", "index.js")}), nil},
		{"cluster: matters for reloads", input(nil, files(file(cfg, app("api", 3, kv("listen_timeout", 8, num(10000))))),
			svcs{"api": cluster()}), nil},
		{"falsy value left to falsy-option-ignored", input(nil, files(file(cfg, app("api", 3, kv("listen_timeout", 8, num(0))))),
			svcs{"api": svc("svc", "index.js")}), nil},
	}
}

func casesKillSignalNotHandled() []ruleCase {
	const id = "kill-signal-not-handled"
	return []ruleCase{
		{"SIGTERM only with kill_timeout", input(nil, files(file(cfg, app("api", 3, kv("kill_timeout", 6, num(10000))))),
			svcs{"api": svc("svc", "index.js", sigterm)}), []string{w(id, cfg, 6, "api", "SIGINT")}},
		{"SIGTERM only, no kill_timeout", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", sigterm)}), []string{w(id, cfg, 3, "api", "SIGINT")}},
		{"SIGINT and SIGTERM", input(nil, files(file(cfg, app("api", 3, kv("kill_timeout", 6, num(10000))))),
			svcs{"api": svc("svc", "index.js", sigint, sigterm)}), nil},
		{"no shutdown code at all", input(nil, files(file(cfg, app("api", 3))), svcs{"api": svc("svc", "index.js")}), nil},
		{"SIGUSR2 is not shutdown code", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", ev(scan.SignalHandler, scan.InCode, "svc/log.js", 3, "SIGUSR2"))}), nil},
		{"shutdown_with_message without message handler", input(nil, files(file(cfg, app("api", 3,
			kv("shutdown_with_message", 5, boolean(true))))), svcs{"api": svc("svc", "index.js", sigint, sigterm)}),
			[]string{w(id, cfg, 5, "api", "shutdown")}},
		{"shutdown_with_message with message handler", input(nil, files(file(cfg, app("api", 3,
			kv("shutdown_with_message", 5, boolean(true))))), svcs{"api": svc("svc", "index.js", sigterm, shutdownMsg)}), nil},
		{"not scanned", input(nil, files(file(cfg, app("api", 3))), nil), nil},
		// Handlers in tests and fixtures are not the service's code.
		{"SIGINT only in a test", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "index.js", sigterm, ev(scan.SignalHandler, scan.InTest, "svc/test/stop.test.js", 5, "SIGINT"))}),
			[]string{w(id, cfg, 3, "api", "SIGINT")}},
		{"SIGINT in a test run as the app", input(nil, files(file(cfg, app("api", 3))),
			svcs{"api": svc("svc", "test/server.js", sigterm, ev(scan.SignalHandler, scan.InTest, "svc/test/server.js", 5, "SIGINT"))}),
			nil},
		{"shutdown message handler only in a fixture", input(nil, files(file(cfg, app("api", 3,
			kv("shutdown_with_message", 5, boolean(true))))),
			svcs{"api": svc("svc", "index.js", sigint, ev(scan.ShutdownMessage, scan.InTest, "svc/fixtures/app.js", 2, "shutdown"))}),
			[]string{w(id, cfg, 5, "api", "shutdown")}},
	}
}

func casesKillSignalOption() []ruleCase {
	const id = "kill-signal-option"
	return []ruleCase{
		{"kill_signal SIGTERM", input(nil, files(file(cfg, app("api", 3, kv("kill_signal", 6, str("SIGTERM"))))), nil),
			[]string{w(id, cfg, 6, "api", "kill_signal")}},
		{"killSignal camelCase", input(nil, files(file(cfg, app("api", 3, kv("killSignal", 6, str("SIGINT"))))), nil),
			[]string{w(id, cfg, 6, "api", "killSignal")}},
		{"no kill_signal", input(nil, files(file(cfg, app("api", 3, kv("kill_timeout", 6, num(3000))))), nil), nil},
	}
}
