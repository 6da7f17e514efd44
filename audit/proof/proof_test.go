package proof

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// proofs maps each rule id to the test that observes its claim on a real
// PM2. Each proof runs its variants as parallel subtests, each with its own
// daemon. It is a read-only table.
var proofs = map[string]func(t *testing.T, p *pm2Install){
	"wait-ready-without-handshake":       proveWaitReadyWithoutHandshake,
	"handshake-without-wait-ready":       proveHandshakeWithoutWaitReady,
	"wait-ready-through-package-manager": proveWaitReadyThroughPackageManager,
	"options-through-package-manager":    proveOptionsThroughPackageManager,
	"watch-own-log-files":                proveWatchOwnLogFiles,
	"ignore-watch-drops-defaults":        proveIgnoreWatchDropsDefaults,
	"env-name-not-defined":               proveEnvNameNotDefined,
	"listen-timeout-without-effect":      proveListenTimeoutWithoutEffect,
	"kill-signal-not-handled":            proveKillSignalNotHandled,
	"kill-signal-option":                 proveKillSignalOption,
	"node-args-non-node-interpreter":     proveNodeArgsNonNodeInterpreter,
	"fork-instances-fixed-port":          proveForkInstancesFixedPort,
	"implicit-cluster-mode":              proveImplicitClusterMode,
	"falsy-option-ignored":               proveFalsyOptionIgnored,
	"invalid-option-value":               proveInvalidOptionValue,
	"esm-ecosystem":                      proveESMEcosystem,
	"unknown-option":                     proveUnknownOption,
	"ecosystem-not-loadable":             proveEcosystemNotLoadable,
	"procedure-delete-start":             proveProcedureDeleteStart,
	"procedure-option-like-names":        proveProcedureOptionLikeNames,
	"script-not-found":                   proveScriptNotFound,
	"twin-config-drift":                  proveTwinConfigDrift,
	"esm-named-apps":                     proveESMNamedApps,
	"cluster-mode-non-node-script":       proveClusterModeNonNodeScript,
	"cluster-interpreter-ignored":        proveClusterInterpreterIgnored,
	"memory-limit-vs-heap":               proveMemoryLimitVsHeap,
	"apps-key-missing":                   proveAppsKeyMissing,
	"ecosystem-file-deleted":             proveEcosystemFileDeleted,
}

// TestPM2 installs the pinned PM2 once and runs every proof against it.
// It skips when Node.js, npm or the registry is missing, unless
// AUDITBOT_REQUIRE_PM2=1.
func TestPM2(t *testing.T) {
	if testing.Short() {
		t.Skip("the PM2 proofs install PM2 and start daemons; skipped with -short")
	}
	p := installPM2(t)
	t.Logf("running the proofs on pm2 %s, node %s", p.version, p.node)
	t.Run("behaviour-sources", func(t *testing.T) { checkBehaviourSources(t, p) })
	for _, id := range proofOrder() {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			proofs[id](t, p)
		})
	}
}

// slowFirst are the proofs that take longest (sequential PM2 commands,
// timeouts to wait out); they start first so that they do not form the
// tail of the run.
var slowFirst = []string{"procedure-delete-start", "wait-ready-without-handshake", "listen-timeout-without-effect", "kill-signal-not-handled", "falsy-option-ignored"}

// proofOrder is every proof id, slowFirst first, then the rest sorted.
func proofOrder() []string {
	ids := append([]string(nil), slowFirst...)
	var rest []string
	for id := range proofs {
		if !slices.Contains(slowFirst, id) {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	return append(ids, rest...)
}

// variants runs one parallel subtest per variant.
func variants(t *testing.T, run map[string]func(t *testing.T)) {
	t.Helper()
	names := make([]string, 0, len(run))
	for n := range run {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			run[n](t)
		})
	}
}

// ms is a duration in milliseconds between two epoch-ms timestamps.
func ms(from, to int64) time.Duration { return time.Duration(to-from) * time.Millisecond }

// --- §1 wait_ready -------------------------------------------------------

// Timeouts written in the case files.
const (
	// waitReadyTimeout is listen_timeout in wait-ready-without-handshake:
	// PM2's default, long enough that an app that does send 'ready' is
	// online well before it even on a loaded machine.
	waitReadyTimeout = 3000 * time.Millisecond
	// listenTimeout is listen_timeout in the cluster variant of
	// listen-timeout-without-effect and in procedure-delete-start.
	listenTimeout = 1500 * time.Millisecond
)

// slack is the margin PM2's timers get: the timeout fires from a
// setTimeout armed just after spawn, so launch-to-online can be a little
// under the timeout measured from pm_uptime, never much.
const slack = 200 * time.Millisecond

func proveWaitReadyWithoutHandshake(t *testing.T, p *pm2Install) {
	const rule = "wait-ready-without-handshake"
	noHandshake := func(variant string, messages int) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t)
			o := d.observe()
			r := d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
			if !strings.Contains(r.out, "has option 'wait_ready' set, waiting for app to be ready") {
				t.Errorf("pm2 start did not say it waits for ready (docs/pm2-behaviour.md#wait-ready-timeout): %s", r)
			}
			if r.took < waitReadyTimeout-slack {
				t.Errorf("pm2 start returned after %v, want >= %v: the CLI blocks until the timeout (docs/pm2-behaviour.md#wait-ready-timeout)", r.took, waitReadyTimeout-slack)
			}
			online := o.mustEvent("web", "online", 10*time.Second)
			took := ms(online.PmUptime, online.At)
			t.Logf("launch to online: %v (listen_timeout %v)", took, waitReadyTimeout)
			if took < waitReadyTimeout-slack {
				t.Errorf("online after %v, want >= listen_timeout-%v = %v: PM2 did not wait for the timeout (docs/pm2-behaviour.md#wait-ready-timeout)", took, slack, waitReadyTimeout-slack)
			}
			// The same process went launching -> online, never restarted.
			launching, ok := o.wait(0, func(ob observation) bool { return ob.Kind == "status" && ob.Status == "launching" })
			if !ok {
				t.Fatalf("status launching never observed (docs/pm2-behaviour.md#wait-ready-timeout):%s", o.dump())
			}
			web := d.one("web")
			if web.status() != "online" || web.PID != launching.PID {
				t.Errorf("after the timeout: status %s pid %d, want online with the launching pid %d", web.status(), web.PID, launching.PID)
			}
			if n, _ := web.num("restart_time"); n != 0 {
				t.Errorf("restart_time = %v, want 0: the timeout must not restart the app (docs/pm2-behaviour.md#wait-ready-timeout)", n)
			}
			// The daemon did receive what the app sent, and still waited.
			var got []observation
			for _, ob := range o.all() {
				if ob.Kind == "msg" && ob.Name == "web" {
					got = append(got, ob)
				}
			}
			if len(got) != messages {
				t.Errorf("daemon received %d IPC messages from the app, want %d:%s", len(got), messages, o.dump())
			}
			for _, m := range got {
				if m.At > online.At {
					t.Errorf("message %v/%v received at %d, after online at %d: want it received and ignored", m.Raw, m.Data, m.At, online.At)
				}
			}
		}
	}
	// handshake: the app sends 'ready' and PM2 marks it online on the
	// message, not on the timeout.
	handshake := func(variant, mode string) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t)
			o := d.observe()
			d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
			if m := d.one("web").Env["exec_mode"]; m != mode {
				t.Fatalf("exec_mode %v, want %s", m, mode)
			}
			online := o.mustEvent("web", "online", 10*time.Second)
			ready, ok := o.wait(0, func(ob observation) bool { return ob.Kind == "msg" && ob.Name == "web" && ob.Raw == "ready" })
			if !ok {
				t.Fatalf("the daemon never received 'ready' from the app:%s", o.dump())
			}
			took, sent := ms(online.PmUptime, online.At), ms(online.PmUptime, ready.At)
			t.Logf("'ready' received %v after launch, online %v after launch (listen_timeout %v)", sent, took, waitReadyTimeout)
			if sent >= waitReadyTimeout-slack {
				t.Skipf("machine too slow to observe the handshake: the app's 'ready' reached PM2 %v after launch, not before listen_timeout %v, so ready and timeout cannot be told apart", sent, waitReadyTimeout)
			}
			// Online on the message, not on the timeout that would fire
			// at launch + listen_timeout.
			if took >= waitReadyTimeout || online.At < ready.At || ms(ready.At, online.At) >= slack {
				t.Errorf("online %v after launch, 'ready' received %v after launch: want online right after 'ready', before listen_timeout %v (docs/pm2-behaviour.md#wait-ready-message)", took, sent, waitReadyTimeout)
			}
			if s := d.one("web").status(); s != "online" {
				t.Errorf("status %s, want online", s)
			}
		}
	}
	variants(t, map[string]func(t *testing.T){
		"bad":        noHandshake("bad", 0),
		"bad-object": noHandshake("bad-object", 2), // {type:'ready'} and {type:'process:msg',data:'ready'}
		// process.send without process as this throws before sending.
		"bad-unbound": noHandshake("bad-unbound", 0),
		// In fork mode the app is no cluster worker: cluster.worker is
		// undefined and cluster.worker?.send sends nothing (docs/pm2-behaviour.md#cluster-worker-ready).
		"bad-fork-worker":  noHandshake("bad-fork-worker", 0),
		"good":             handshake("good", "fork_mode"),
		"good-bound-alias": handshake("good-bound-alias", "fork_mode"),
		// In cluster mode the app is a cluster worker and
		// cluster.worker.send('ready') is process.send('ready').
		"good-cluster-worker": handshake("good-cluster-worker", "cluster_mode"),
		// A message decided at run time that is 'ready': why auditbot
		// does not claim a missing handshake for process.send(message).
		"good-dynamic": handshake("good-dynamic", "fork_mode"),
	})
}

// proveWaitReadyThroughPackageManager: the same app, which sends 'ready'
// once it listens, started through `npm start` and directly. Through npm
// the app has no IPC channel (typeof process.send is "undefined"), the
// daemon receives nothing, and PM2 waits listen_timeout (docs/pm2-behaviour.md#ready-through-package-manager).
func proveWaitReadyThroughPackageManager(t *testing.T, p *pm2Install) {
	const rule = "wait-ready-through-package-manager"
	start := func(t *testing.T, variant string) (online observation, msgs []observation, send string) {
		marker := filepath.Join(t.TempDir(), "marker")
		d := p.newDaemon(t, "MARKER="+marker)
		o := d.observe()
		d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
		online = o.mustEvent("web", "online", 10*time.Second)
		waitFile(t, marker, "send ", 10*time.Second)
		for _, ob := range o.all() {
			if ob.Kind == "msg" && ob.Name == "web" {
				msgs = append(msgs, ob)
			}
		}
		return online, msgs, strings.TrimSpace(strings.TrimPrefix(readText(marker), "send "))
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			online, msgs, send := start(t, "bad")
			if send != "undefined" {
				t.Errorf("under npm start the app saw typeof process.send %q, want \"undefined\" (no IPC channel)", send)
			}
			if len(msgs) != 0 {
				t.Errorf("daemon received %d IPC messages from the app through npm, want 0", len(msgs))
			}
			took := ms(online.PmUptime, online.At)
			t.Logf("launch to online through npm: %v (listen_timeout %v)", took, waitReadyTimeout)
			if took < waitReadyTimeout-slack {
				t.Errorf("online after %v, want >= listen_timeout-%v = %v: the app's 'ready' must not reach PM2 through npm", took, slack, waitReadyTimeout-slack)
			}
		},
		"good": func(t *testing.T) {
			online, msgs, send := start(t, "good")
			if send != "function" {
				t.Errorf("started directly the app saw typeof process.send %q, want \"function\"", send)
			}
			if len(msgs) != 1 || msgs[0].Raw != "ready" {
				t.Fatalf("daemon received %v from the app, want one 'ready'", msgs)
			}
			took, sent := ms(online.PmUptime, online.At), ms(online.PmUptime, msgs[0].At)
			t.Logf("'ready' received %v after launch, online %v after launch", sent, took)
			if sent >= waitReadyTimeout-slack {
				t.Skipf("machine too slow to tell the handshake from the timeout: 'ready' reached PM2 %v after launch", sent)
			}
			if took >= waitReadyTimeout || online.At < msgs[0].At {
				t.Errorf("online %v after launch, want right after 'ready' at %v (docs/pm2-behaviour.md#wait-ready-message)", took, sent)
			}
		},
	})
}

// proveOptionsThroughPackageManager: an app that holds 200 MiB of RSS,
// with node_args and max_memory_restart '150M', started through `npm
// start` and directly. PM2's memory check runs every second here
// (PM2_WORKER_INTERVAL, docs/pm2-behaviour.md#max-memory-restart) so a restart for memory shows at once.
func proveOptionsThroughPackageManager(t *testing.T, p *pm2Install) {
	const rule = "options-through-package-manager"
	const flag = `["--max-http-header-size=32768"]`
	// start starts the variant and returns the node flags the app runs
	// with (the marker's first line, written before the app grows).
	start := func(t *testing.T, variant string) (d *daemon, marker, execArgv string) {
		marker = filepath.Join(t.TempDir(), "marker")
		d = p.newDaemon(t, "MARKER="+marker, "PM2_WORKER_INTERVAL=1000")
		d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
		waitFile(t, marker, "app ", 15*time.Second)
		f := strings.Fields(firstLineWith(readText(marker), "app "))
		if len(f) != 2 {
			t.Fatalf("marker %q, want \"app <execArgv>\"", readText(marker))
		}
		return d, marker, f[1]
	}
	const restarted = "exceeds --max-memory-restart"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d, marker, execArgv := start(t, "bad")
			if execArgv != "[]" {
				t.Errorf("under npm start the app runs with %s, want [] (node_args go to npm's node)", execArgv)
			}
			waitFile(t, marker, "rss ", 15*time.Second)
			f := strings.Fields(firstLineWith(readText(marker), "rss "))
			if rss, err := strconv.ParseInt(f[len(f)-1], 10, 64); err != nil || rss <= 150<<20 {
				t.Fatalf("the app's RSS is %s, want over the 150M limit", f[len(f)-1])
			}
			// Five of PM2's memory checks, each of which would restart an
			// app over its limit (the good variant is restarted at the first).
			time.Sleep(5 * time.Second)
			if log := d.daemonLog(); strings.Contains(log, restarted) {
				t.Errorf("PM2 restarted the app for memory; want it to measure npm's RSS only (docs/pm2-behaviour.md#package-manager-process):\n%s", log)
			}
			w := d.one("worker")
			if n, _ := w.num("restart_time"); n != 0 || w.status() != "online" {
				t.Errorf("status %s, restart_time %v: want online, 0", w.status(), n)
			}
		},
		"good": func(t *testing.T) {
			// The app passes the limit (the bad variant's marker shows its
			// RSS): PM2 may restart it before it writes its RSS here.
			d, _, execArgv := start(t, "good")
			if execArgv != flag {
				t.Errorf("started directly the app runs with %s, want %s (docs/pm2-behaviour.md#interpreter-by-extension)", execArgv, flag)
			}
			if !await(t, "a restart for memory", 10*time.Second, 200*time.Millisecond, func() bool { return strings.Contains(d.daemonLog(), restarted) }) {
				t.Fatalf("no restart for memory within %v of PM2's 1-s checks (docs/pm2-behaviour.md#max-memory-restart):\n%s", hangGuard, d.daemonLog())
			}
		},
	})
}

// --- §10 watch ------------------------------------------------------------

// proveWatchOwnLogFiles: an app that logs one line at start, watching its
// cwd with its out_file inside it, and the same with the logs ignored.
func proveWatchOwnLogFiles(t *testing.T, p *pm2Install) {
	const rule = "watch-own-log-files"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			// Each start logs, each log line restarts: 3 restarts show the loop.
			w := d.waitFor("3 restarts", 20*time.Second, func(l []proc) bool {
				if len(l) != 1 {
					return false
				}
				n, _ := l[0].num("restart_time")
				return n >= 3
			})[0]
			n, _ := w.num("restart_time")
			t.Logf("restart_time %v", n)
			if log := d.daemonLog(); !strings.Contains(log, "Change detected on path logs/out.log") {
				t.Errorf("daemon log does not name logs/out.log as the change (docs/pm2-behaviour.md#watch):\n%s", log)
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			dir := stage(t, rule, "good")
			d.mustRun(dir, "start", "ecosystem.config.js")
			waitFile(t, filepath.Join(dir, "logs", "out.log"), "started ", 10*time.Second)
			time.Sleep(3 * time.Second)
			w := d.one("web")
			if n, _ := w.num("restart_time"); n != 0 || w.status() != "online" {
				t.Errorf("status %s, restart_time %v with the logs ignored: want online, 0:\n%s", w.status(), n, d.daemonLog())
			}
		},
	})
}

// proveIgnoreWatchDropsDefaults: an idle app watching its cwd; the test
// keeps writing node_modules/x.js, as npm install would.
func proveIgnoreWatchDropsDefaults(t *testing.T, p *pm2Install) {
	const rule = "ignore-watch-drops-defaults"
	// touch writes node_modules/x.js every 300 ms for up to d, until done
	// says to stop; chokidar may need a moment after start to be ready
	// (longer on a loaded machine: the bad variant touches until the
	// restart, up to hangGuard).
	touch := func(t *testing.T, dir string, d time.Duration, done func() bool) {
		nm := filepath.Join(dir, "node_modules")
		if err := os.MkdirAll(nm, 0o755); err != nil {
			t.Fatal(err)
		}
		for end := time.Now().Add(d); time.Now().Before(end) && !done(); time.Sleep(300 * time.Millisecond) {
			if err := os.WriteFile(filepath.Join(nm, "x.js"), []byte(time.Now().String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := func(t *testing.T, variant string) (*daemon, string) {
		d := p.newDaemon(t)
		dir := stage(t, rule, variant)
		d.mustRun(dir, "start", "ecosystem.config.js")
		d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "online" })
		return d, dir
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d, dir := start(t, "bad")
			changed := func() bool { return strings.Contains(d.daemonLog(), "Change detected on path node_modules/x.js") }
			touch(t, dir, hangGuard, changed)
			if !changed() {
				t.Fatalf("writing node_modules/x.js never restarted the app with ignore_watch: ['logs'] (docs/pm2-behaviour.md#ignore-watch-replaces-defaults):\n%s", d.daemonLog())
			}
		},
		"good": func(t *testing.T) {
			d, dir := start(t, "good")
			touch(t, dir, 4*time.Second, func() bool { return false })
			w := d.one("web")
			if n, _ := w.num("restart_time"); n != 0 || strings.Contains(d.daemonLog(), "Change detected") {
				t.Errorf("restart_time %v with node_modules ignored, want 0:\n%s", n, d.daemonLog())
			}
		},
	})
}

// --- §12 env_<name> ------------------------------------------------------

// proveEnvNameNotDefined runs the variant's package.json script
// (`pm2 start ecosystem.config.js --env production`) and reads the
// NODE_ENV the app got.
func proveEnvNameNotDefined(t *testing.T, p *pm2Install) {
	const rule = "env-name-not-defined"
	const warning = "Environment [production] is not defined in process file"
	start := func(t *testing.T, variant string) (out, env string) {
		marker := filepath.Join(t.TempDir(), "marker")
		d := p.newDaemon(t, "MARKER="+marker)
		r := d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js", "--env", "production")
		waitFile(t, marker, "env ", 10*time.Second)
		return r.out, strings.TrimSpace(strings.TrimPrefix(readText(marker), "env "))
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			out, env := start(t, "bad")
			if !strings.Contains(out, warning) {
				t.Errorf("pm2 start does not warn %q (docs/pm2-behaviour.md#env-name):\n%s", warning, out)
			}
			if env != "undefined" {
				t.Errorf("the app got NODE_ENV=%s, want none: env_prod must not apply to --env production", env)
			}
		},
		"good": func(t *testing.T) {
			out, env := start(t, "good")
			if strings.Contains(out, warning) {
				t.Errorf("pm2 start warns although env_production exists:\n%s", out)
			}
			if env != "production" {
				t.Errorf("the app got NODE_ENV=%s, want production (docs/pm2-behaviour.md#env-name)", env)
			}
		},
	})
}

// readySent is the epoch-ms time the app wrote "ready-sent <ms>" to marker.
func readySent(t *testing.T, marker string) int64 {
	t.Helper()
	waitFile(t, marker, "ready-sent ", 10*time.Second)
	f := strings.Fields(readText(marker))
	n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		t.Fatalf("marker %q: %v", readText(marker), err)
	}
	return n
}

func proveHandshakeWithoutWaitReady(t *testing.T, p *pm2Install) {
	const rule = "handshake-without-wait-ready"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			o := d.observe()
			d.mustRun(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			online := o.mustEvent("web", "online", 10*time.Second)
			sent := readySent(t, marker)
			t.Logf("online %v after launch; ready sent %v after launch", ms(online.PmUptime, online.At), ms(online.PmUptime, sent))
			if online.At >= sent {
				t.Errorf("online at %d, not before the app sent ready at %d: without wait_ready the message must be ignored (docs/pm2-behaviour.md#ready-ignored-without-wait-ready)", online.At, sent)
			}
		},
		"good": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			o := d.observe()
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			online := o.mustEvent("web", "online", 15*time.Second)
			sent := readySent(t, marker)
			t.Logf("online %v after launch; ready sent %v after launch", ms(online.PmUptime, online.At), ms(online.PmUptime, sent))
			if online.At < sent {
				t.Errorf("online at %d before the app sent ready at %d: with wait_ready PM2 must wait for it (docs/pm2-behaviour.md#wait-ready-timeout)", online.At, sent)
			}
		},
	})
}

// --- §2 listen_timeout ---------------------------------------------------

func proveListenTimeoutWithoutEffect(t *testing.T, p *pm2Install) {
	const rule = "listen-timeout-without-effect"
	// reload starts the staged variant, reloads it, and returns the
	// observer once the reload is over (its "reload" event).
	reload := func(t *testing.T, variant, mode string) (*observer, observation) {
		d := p.newDaemon(t)
		o := d.observe()
		dir := stage(t, rule, variant)
		d.mustRun(dir, "start", "ecosystem.config.js")
		if m := d.one("worker").Env["exec_mode"]; m != mode {
			t.Fatalf("exec_mode %v, want %s", m, mode)
		}
		d.mustRun(dir, "reload", "worker")
		return o, o.mustEvent("worker", "reload", 30*time.Second)
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			const timeout = 3000 * time.Millisecond // the file's listen_timeout
			o, done := reload(t, "bad", "fork_mode")
			first := o.mustEvent("worker", "online", 0)
			if took := ms(first.PmUptime, first.At); took >= time.Second {
				t.Errorf("fork app online %v after launch, want < 1s: listen_timeout must not delay a start (docs/pm2-behaviour.md#listen-timeout)", took)
			}
			// A fork reload is a restart: the old process is stopped
			// before the new one is launched, and nothing waits for the
			// new one to listen.
			stopped, ok := o.wait(0, func(ob observation) bool {
				return ob.Kind == "event" && ob.Event == "exit" && ob.Status == "stopped" && ob.Name == "worker"
			})
			if !ok {
				t.Fatalf("no exit of the old process on reload:%s", o.dump())
			}
			if stopped.At > done.PmUptime {
				t.Errorf("old process stopped at %d, after the new one launched at %d: want a plain restart (docs/pm2-behaviour.md#listen-timeout)", stopped.At, done.PmUptime)
			}
			took := ms(done.PmUptime, done.At)
			t.Logf("fork reload: new process launched %v after the old one stopped; reload done %v after launch (listen_timeout %v)", ms(stopped.At, done.PmUptime), took, timeout)
			if took >= timeout {
				t.Errorf("reload done %v after the new process launched, want < listen_timeout %v: a fork reload must not wait for it (docs/pm2-behaviour.md#listen-timeout)", took, timeout)
			}
		},
		"good": func(t *testing.T) {
			o, done := reload(t, "good", "cluster_mode")
			// The old worker is renamed _old_<id> and killed once the new
			// one listens, or after listen_timeout: it never listens.
			old, ok := o.wait(0, func(ob observation) bool {
				id, _ := ob.PmID.(string)
				return ob.Kind == "event" && ob.Event == "exit" && ob.Name == "worker" && strings.HasPrefix(id, "_old_")
			})
			if !ok {
				t.Fatalf("no exit of the old cluster worker on reload:%s", o.dump())
			}
			overlap := ms(done.PmUptime, old.At)
			t.Logf("cluster reload: old worker killed %v after the new one launched (listen_timeout %v)", overlap, listenTimeout)
			if overlap < listenTimeout-slack {
				t.Errorf("old worker killed %v after the new one launched, want >= %v: a cluster reload waits listen_timeout for 'listening' (docs/pm2-behaviour.md#listen-timeout)", overlap, listenTimeout-slack)
			}
		},
	})
}

// --- §3 stopping ---------------------------------------------------------

// stopped starts the staged variant with MARKER set, waits until the app
// has installed its handlers ("ready" in the marker), stops it, and
// returns the daemon, the marker's lines and the stop result.
func stopped(t *testing.T, p *pm2Install, rule, variant string) (*daemon, []string, result) {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "marker")
	d := p.newDaemon(t, "MARKER="+marker)
	dir := stage(t, rule, variant)
	d.mustRun(dir, "start", "ecosystem.config.js")
	waitFile(t, marker, "ready", 10*time.Second)
	r := d.mustRun(dir, "stop", "api")
	if s := d.one("api").status(); s != "stopped" {
		t.Fatalf("after pm2 stop: status %s, want stopped", s)
	}
	return d, strings.Fields(readText(marker)), r
}

func proveKillSignalNotHandled(t *testing.T, p *pm2Install) {
	const rule = "kill-signal-not-handled"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d, got, _ := stopped(t, p, rule, "bad")
			if want := []string{"ready"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: the SIGTERM handler must never run under PM2 (docs/pm2-behaviour.md#kill-signal)", got, want)
			}
			if log := logWithin(d.daemonLog, "via signal [SIGINT]"); !strings.Contains(log, "via signal [SIGINT]") {
				t.Errorf("daemon log does not show the app killed by SIGINT (docs/pm2-behaviour.md#kill-signal):\n%s", log)
			}
		},
		"good": func(t *testing.T) {
			_, got, _ := stopped(t, p, rule, "good")
			if want := []string{"ready", "SIGINT"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: PM2 stops with SIGINT (docs/pm2-behaviour.md#kill-signal)", got, want)
			}
		},
		"good-message": func(t *testing.T) {
			_, got, _ := stopped(t, p, rule, "good-message")
			if want := []string{"ready", "shutdown"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: with shutdown_with_message the app gets 'shutdown' and no SIGINT (docs/pm2-behaviour.md#shutdown-with-message)", got, want)
			}
		},
		"sigkill": func(t *testing.T) {
			const killTimeout = 1000 * time.Millisecond // the file's kill_timeout
			d, got, r := stopped(t, p, rule, "sigkill")
			if want := []string{"ready", "SIGINT"}; !equal(got, want) {
				t.Errorf("marker %q, want %q", got, want)
			}
			t.Logf("pm2 stop took %v (kill_timeout %v)", r.took, killTimeout)
			if r.took < killTimeout-slack {
				t.Errorf("pm2 stop took %v, want >= kill_timeout-%v: PM2 waits kill_timeout before SIGKILL (docs/pm2-behaviour.md#kill-timeout)", r.took, slack)
			}
			if log := logWithin(d.daemonLog, "still alive after 1000ms, sending SIGKILL"); !strings.Contains(log, "still alive after 1000ms, sending SIGKILL") {
				t.Errorf("daemon log has no SIGKILL line (docs/pm2-behaviour.md#kill-timeout):\n%s", log)
			}
		},
	})
}

func proveKillSignalOption(t *testing.T, p *pm2Install) {
	const rule = "kill-signal-option"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			dir := stage(t, rule, "bad")
			d.mustRun(dir, "start", "ecosystem.config.js")
			waitFile(t, marker, "ready", 10*time.Second)
			if v, ok := d.one("api").Env["kill_signal"]; ok {
				t.Errorf("pm2 jlist has kill_signal=%v, want it dropped (docs/pm2-behaviour.md#kill-signal, docs/pm2-behaviour.md#unknown-options-dropped)", v)
			}
			d.mustRun(dir, "stop", "api")
			if got, want := strings.Fields(readText(marker)), []string{"ready"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: kill_signal:'SIGTERM' must not make PM2 send SIGTERM (docs/pm2-behaviour.md#no-kill-signal-option)", got, want)
			}
		},
		"good": func(t *testing.T) {
			_, got, _ := stopped(t, p, rule, "good")
			if want := []string{"ready", "SIGINT"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: PM2 stops with SIGINT (docs/pm2-behaviour.md#kill-signal)", got, want)
			}
		},
	})
}

func equal(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// --- §6 node_args --------------------------------------------------------

func proveNodeArgsNonNodeInterpreter(t *testing.T, p *pm2Install) {
	const rule = "node-args-non-node-interpreter"
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed: cannot run a .sh script under PM2")
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			list := d.waitFor("errored", 30*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "errored" })
			job := list[0]
			if it := job.Env["exec_interpreter"]; it != "bash" {
				t.Errorf("exec_interpreter %v, want bash (docs/pm2-behaviour.md#interpreter-by-extension)", it)
			}
			if log := logWithin(job.errLog, "--max-old-space-size=256: invalid option"); !strings.Contains(log, "--max-old-space-size=256: invalid option") {
				t.Errorf("error log lacks bash's invalid option message (docs/pm2-behaviour.md#interpreter-by-extension):\n%s", log)
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			// Online and still the same process a moment later.
			first := d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "online" })
			time.Sleep(1500 * time.Millisecond)
			job := d.one("job")
			if job.status() != "online" || job.PID != first[0].PID {
				t.Errorf("status %s pid %d, want still online as pid %d", job.status(), job.PID, first[0].PID)
			}
		},
	})
}

// --- §7 exec_mode, instances, ports --------------------------------------

func proveForkInstancesFixedPort(t *testing.T, p *pm2Install) {
	const rule = "fork-instances-fixed-port"
	// The case files say PORT 3301; each variant gets a free port instead.
	run := func(t *testing.T, variant string) *daemon {
		port := strconv.Itoa(freePort(t))
		d := p.newDaemon(t)
		d.mustRun(stage(t, rule, variant, "3301", port), "start", "ecosystem.config.js")
		return d
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := run(t, "bad")
			list := d.waitFor("one online and one errored", 30*time.Second, func(l []proc) bool {
				return len(l) == 2 && statuses(l) == "errored,online"
			})
			for _, pr := range list {
				if m := pr.Env["exec_mode"]; m != "fork_mode" {
					t.Errorf("%s:%d exec_mode %v, want fork_mode", pr.Name, pr.PmID, m)
				}
				if pr.status() == "errored" && !strings.Contains(logWithin(pr.errLog, "EADDRINUSE"), "EADDRINUSE") {
					t.Errorf("errored instance's log lacks EADDRINUSE (docs/pm2-behaviour.md#fork-instances-no-port-sharing):\n%s", pr.errLog())
				}
			}
		},
		// 'all' is parseInt's NaN || 0 (verifyConfs): one fork process per
		// CPU, all on the one port (pm2.Resolve).
		"instances-string": func(t *testing.T) {
			if runtime.NumCPU() < 2 {
				t.Skip("one CPU: instances 0 is one process, no port clash to observe")
			}
			d := run(t, "instances-string")
			d.waitFor("one online, the others errored", 30*time.Second, func(l []proc) bool {
				return len(l) >= 2 && statuses(l) == "errored,"+strings.Repeat("errored,", len(l)-2)+"online"
			})
		},
		// 1.5 is parseInt's 1 (lib/God.js): a single process, online.
		"instances-truncated": func(t *testing.T) {
			d := run(t, "instances-truncated")
			d.waitFor("one online", 15*time.Second, func(l []proc) bool {
				return len(l) == 1 && statuses(l) == "online"
			})
			time.Sleep(1500 * time.Millisecond)
			if l := d.jlist(); len(l) != 1 || statuses(l) != "online" {
				t.Errorf("instances 1.5: %v, want one process online", names(l))
			}
		},
		"good": func(t *testing.T) {
			d := run(t, "good")
			d.waitFor("both online", 15*time.Second, func(l []proc) bool {
				return len(l) == 2 && statuses(l) == "online,online"
			})
			// Still both online a moment later: no crash loop.
			time.Sleep(1500 * time.Millisecond)
			list := d.jlist()
			if statuses(list) != "online,online" {
				t.Errorf("cluster instances: %v, want both online on the shared port (docs/pm2-behaviour.md#fork-instances-no-port-sharing)", names(list))
			}
			for _, pr := range list {
				if n, _ := pr.num("restart_time"); n != 0 {
					t.Errorf("%s:%d restarted %v times, want 0", pr.Name, pr.PmID, n)
				}
			}
		},
	})
}

// statuses is the sorted, comma-joined statuses of the processes.
func statuses(l []proc) string {
	s := make([]string, 0, len(l))
	for _, p := range l {
		s = append(s, p.status())
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func proveImplicitClusterMode(t *testing.T, p *pm2Install) {
	const rule = "implicit-cluster-mode"
	mode := func(variant, want string) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
			if got := d.one("web").Env["exec_mode"]; got != want {
				t.Errorf("exec_mode %v, want %s (docs/pm2-behaviour.md#implicit-cluster-mode)", got, want)
			}
		}
	}
	variants(t, map[string]func(t *testing.T){
		"bad":  mode("bad", "cluster_mode"),
		"good": mode("good", "fork_mode"),
		// instances: null is dropped by PM2's validator (null is no
		// value), so no instances is written: fork (pm2.Resolve).
		"instances-null": mode("instances-null", "fork_mode"),
		// An empty exec_mode is dropped by the validator: instances decides.
		"exec-mode-empty": mode("exec-mode-empty", "cluster_mode"),
		// execMode is exec_mode (docs/pm2-behaviour.md#option-aliases).
		"exec-mode-camel": mode("exec-mode-camel", "fork_mode"),
		// determineExecMode tests the interpreter's base name against
		// node, /node$/, bun and /bun$/: nodejs (Debian's node) stays in
		// fork mode although it runs node (pm2.Resolve).
		"interpreter-nodejs": func(t *testing.T) {
			nodejs := filepath.Join(t.TempDir(), "nodejs")
			if err := os.Symlink(p.node, nodejs); err != nil {
				t.Fatal(err)
			}
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "interpreter-nodejs", "/usr/bin/nodejs", nodejs), "start", "ecosystem.config.js")
			if got := d.one("web").Env["exec_mode"]; got != "fork_mode" {
				t.Errorf("exec_mode %v, want fork_mode (docs/pm2-behaviour.md#implicit-cluster-mode)", got)
			}
		},
	})
}

// --- §5 validation -------------------------------------------------------

func proveFalsyOptionIgnored(t *testing.T, p *pm2Install) {
	const rule = "falsy-option-ignored"
	errored := func(t *testing.T, variant string) proc {
		d := p.newDaemon(t)
		d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
		return d.waitFor("errored", 60*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "errored" })[0]
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			app := errored(t, "bad")
			for _, k := range []string{"max_restarts", "wait_ready"} {
				if v, ok := app.Env[k]; ok {
					t.Errorf("pm2 jlist has %s=%v, want it dropped (docs/pm2-behaviour.md#unknown-options-dropped)", k, v)
				}
			}
			// max_restarts: 0 honoured would stop after the first crash;
			// dropped, the code default 16 applies: 16 starts.
			n, _ := app.num("restart_time")
			t.Logf("max_restarts: 0 -> errored after %v starts", n+1)
			if n != 15 {
				t.Errorf("restart_time %v, want 15 (16 starts, the default max_restarts) (docs/pm2-behaviour.md#unstable-restarts)", n)
			}
		},
		"good": func(t *testing.T) {
			app := errored(t, "good")
			if v, _ := app.num("max_restarts"); v != 1 {
				t.Errorf("max_restarts %v, want 1", app.Env["max_restarts"])
			}
			if n, _ := app.num("restart_time"); n != 0 {
				t.Errorf("restart_time %v, want 0 (max_restarts: 1 = one start) (docs/pm2-behaviour.md#unstable-restarts)", n)
			}
		},
	})
}

func proveInvalidOptionValue(t *testing.T, p *pm2Install) {
	const rule = "invalid-option-value"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			r := d.run(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			if r.code != 1 {
				t.Errorf("exit %d, want 1 (docs/pm2-behaviour.md#unknown-options-dropped): %s", r.code, r)
			}
			if !strings.Contains(r.out, `Verify "max_memory_restart" with regex failed`) {
				t.Errorf("no validation message (docs/pm2-behaviour.md#invalid-values-abort): %s", r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none: the error aborts the whole file (docs/pm2-behaviour.md#invalid-values-abort)", names(l))
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			if v, _ := d.one("api").num("max_memory_restart"); v != 1536*1024*1024 {
				t.Errorf("max_memory_restart %v, want %d (docs/pm2-behaviour.md#max-memory-restart)", v, 1536*1024*1024)
			}
			d.one("worker")
		},
	})
}

func proveUnknownOption(t *testing.T, p *pm2Install) {
	const rule = "unknown-option"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			r := d.mustRun(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			if strings.Contains(r.out, "max_memory") {
				t.Errorf("pm2 start mentions max_memory; docs/pm2-behaviour.md#unknown-options-dropped says unknown keys are dropped silently: %s", r)
			}
			api := d.one("api")
			for _, k := range []string{"max_memory", "max_memory_restart"} {
				if v, ok := api.Env[k]; ok {
					t.Errorf("pm2 jlist has %s=%v, want no memory limit at all (docs/pm2-behaviour.md#unknown-options-dropped)", k, v)
				}
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			if v, _ := d.one("api").num("max_memory_restart"); v != 100*1024*1024 {
				t.Errorf("max_memory_restart %v, want %d (docs/pm2-behaviour.md#max-memory-restart)", v, 100*1024*1024)
			}
		},
	})
}

// --- §4 loading ----------------------------------------------------------

func proveESMEcosystem(t *testing.T, p *pm2Install) {
	const rule = "esm-ecosystem"
	fails := func(variant, file, want string) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t)
			r := d.run(stage(t, rule, variant), "start", file)
			if r.code != 1 || !strings.Contains(r.out, want) {
				t.Errorf("want exit 1 with %q (docs/pm2-behaviour.md#config-file-names), got %s", want, r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none", names(l))
			}
		}
	}
	variants(t, map[string]func(t *testing.T){
		"bad":             fails("bad", "ecosystem.config.mjs", "No script path - aborting"),
		"bad-type-module": fails("bad-type-module", "ecosystem.config.js", "File ecosystem.config.js malformated"),
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.cjs")
			d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].Name == "web" && l[0].status() == "online" })
		},
	})
}

func proveEcosystemNotLoadable(t *testing.T, p *pm2Install) {
	const rule = "ecosystem-not-loadable"
	started := func(variant, file, want string) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, variant), "start", file)
			l := d.jlist()
			if len(l) != 1 || l[0].Name != want {
				t.Errorf("pm2 start %s started %v, want one app named %q (docs/pm2-behaviour.md#config-file-names)", file, names(l), want)
			}
		}
	}
	variants(t, map[string]func(t *testing.T){
		"bad":  started("bad", "ecosystem.js", "ecosystem"),
		"good": started("good", "ecosystem.config.js", "api"),
	})
}

// --- §11 which commands re-read the file ---------------------------------

func proveProcedureDeleteStart(t *testing.T, p *pm2Install) {
	const rule = "procedure-delete-start"
	d := p.newDaemon(t)
	dir := stage(t, rule, "before")
	d.mustRun(dir, "start", "ecosystem.config.js")
	check := func(step string, waitReady any, killTimeout float64) {
		t.Helper()
		web := d.one("web")
		if got := web.Env["wait_ready"]; got != waitReady {
			t.Errorf("after %s: wait_ready %v, want %v (docs/pm2-behaviour.md#file-commands-keep-removed-keys)", step, got, waitReady)
		}
		if got, _ := web.num("kill_timeout"); got != killTimeout {
			t.Errorf("after %s: kill_timeout %v, want %v (docs/pm2-behaviour.md#file-commands-keep-removed-keys)", step, got, killTimeout)
		}
	}
	check("pm2 start (before)", true, 1600)

	// The change: wait_ready removed, kill_timeout 1600 -> 2000.
	after, err := os.ReadFile(filepath.Join("testdata", rule, "after", "ecosystem.config.js"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ecosystem.config.js"), after, 0o644); err != nil {
		t.Fatal(err)
	}

	r := d.mustRun(dir, "restart", "web")
	check("pm2 restart web", true, 1600) // the file is not read at all
	if r.took < listenTimeout-slack {
		t.Errorf("pm2 restart web took %v, want >= %v: wait_ready should still be in force", r.took, listenTimeout-slack)
	}
	r = d.mustRun(dir, "restart", "ecosystem.config.js")
	check("pm2 restart ecosystem.config.js", true, 2000) // read, but the removed key stays
	if r.took < listenTimeout-slack {
		t.Errorf("pm2 restart <file> took %v, want >= %v: the removed wait_ready should still be in force", r.took, listenTimeout-slack)
	}
	d.mustRun(dir, "delete", "web")
	d.mustRun(dir, "start", "ecosystem.config.js")
	check("pm2 delete web + pm2 start ecosystem.config.js", nil, 2000)
}

// proveEcosystemFileDeleted starts before/ and then deletes the files
// after/ does not have (the ecosystem file), as a deploy of the change
// does: the app runs on, the commands given the file fail, and only
// `pm2 delete <name>` removes it.
func proveEcosystemFileDeleted(t *testing.T, p *pm2Install) {
	const rule = "ecosystem-file-deleted"
	d := p.newDaemon(t)
	dir := stage(t, rule, "before")
	d.mustRun(dir, "start", "ecosystem.config.js")
	online := func(l []proc) bool { return len(l) == 1 && l[0].Name == "api" && l[0].status() == "online" }
	first := d.waitFor("api online", 10*time.Second, online)[0]

	// The change: every file of before/ that after/ lacks is deleted.
	err := filepath.WalkDir(filepath.Join("testdata", rule, "before"), func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(filepath.Join("testdata", rule, "before"), path)
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join("testdata", rule, "after", rel)); err == nil {
			return nil
		}
		return os.Remove(filepath.Join(dir, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ecosystem.config.js")); err == nil {
		t.Fatal("after/ still has ecosystem.config.js: the case deletes nothing")
	}

	if api := d.one("api"); api.status() != "online" || api.PID != first.PID {
		t.Errorf("after deleting the file: api %s pid %d, want still online as pid %d (docs/pm2-behaviour.md#deleted-file-apps-keep-running)", api.status(), api.PID, first.PID)
	}
	const notFound = "File ecosystem.config.js not found"
	for _, cmd := range []string{"start", "reload", "delete"} {
		r := d.run(dir, cmd, "ecosystem.config.js")
		if r.code != 1 || !strings.Contains(r.out, notFound) {
			t.Errorf("pm2 %s of the deleted file: want exit 1 with %q (docs/pm2-behaviour.md#deleted-file-apps-keep-running), got %s", cmd, notFound, r)
		}
		if api := d.one("api"); api.status() != "online" || api.PID != first.PID {
			t.Errorf("after pm2 %s ecosystem.config.js: api %s pid %d, want untouched pid %d", cmd, api.status(), api.PID, first.PID)
		}
	}
	d.mustRun(dir, "restart", "api")
	restarted := d.waitFor("api online again", 10*time.Second, online)[0]
	if restarted.PID == first.PID {
		t.Errorf("pm2 restart api without the file: pid %d unchanged, want a new process (docs/pm2-behaviour.md#restart-keeps-config)", first.PID)
	}
	d.mustRun(dir, "delete", "api")
	if l := d.jlist(); len(l) != 0 {
		t.Errorf("after pm2 delete api: %v, want no app (docs/pm2-behaviour.md#deleted-file-apps-keep-running)", names(l))
	}
}

// --- §4 script resolution, default file, ESM named exports -----------------

// proveAppsKeyMissing: `app:` for `apps:` makes the exported object the
// one app, which has no script.
func proveAppsKeyMissing(t *testing.T, p *pm2Install) {
	const rule = "apps-key-missing"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			r := d.run(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			const want = "No script path - aborting"
			if r.code != 1 || !strings.Contains(r.out, want) {
				t.Errorf("want exit 1 with %q (docs/pm2-behaviour.md#config-file-names, docs/pm2-behaviour.md#script-required), got %s", want, r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none", names(l))
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			d.waitFor("api online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].Name == "api" && l[0].status() == "online" })
		},
	})
}

func proveScriptNotFound(t *testing.T, p *pm2Install) {
	const rule = "script-not-found"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			dir := stage(t, rule, "bad")
			r := d.run(dir, "start", "ecosystem.config.js")
			want := "Script not found: " + filepath.Join(dir, "main.js")
			if r.code != 1 || !strings.Contains(r.out, want) {
				t.Errorf("want exit 1 with %q (docs/pm2-behaviour.md#config-file-names), got %s", want, r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none (docs/pm2-behaviour.md#config-file-names)", names(l))
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].Name == "api" && l[0].status() == "online" })
		},
		// verifyConfs runs a script with a space through bash -c before
		// the validator folds exec into script: exec: 'node server.js'
		// is a path that does not exist (pm2.Resolve).
		"exec-with-space": func(t *testing.T) {
			d := p.newDaemon(t)
			dir := stage(t, rule, "exec-with-space")
			r := d.run(dir, "start", "ecosystem.config.js")
			want := "Script not found: " + filepath.Join(dir, "node server.js")
			if r.code != 1 || !strings.Contains(r.out, want) {
				t.Errorf("want exit 1 with %q, got %s", want, r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none", names(l))
			}
		},
		// docs/pm2-behaviour.md#relative-paths: a script that is no file of the directory is
		// looked up in PATH before PM2 gives up (lib/Common.js
		// prepareAppConf), which is why auditbot never reports bare
		// command names.
		"path-command": func(t *testing.T) {
			d := p.newDaemon(t)
			dir := stage(t, rule, "path-command")
			r := d.run(dir, "start", "ecosystem.config.js")
			if r.code != 0 || strings.Contains(r.out, "Script not found") {
				t.Fatalf("script 'node': want it found in PATH and started, got %s", r)
			}
			api := d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].Name == "api" && l[0].status() == "online" })[0]
			if exec, _ := api.Env["pm_exec_path"].(string); filepath.Base(exec) != "node" || !filepath.IsAbs(exec) || filepath.Dir(exec) == dir {
				t.Errorf("pm_exec_path %q, want the node program found in PATH", exec)
			}
		},
	})
}

func proveTwinConfigDrift(t *testing.T, p *pm2Install) {
	const rule = "twin-config-drift"
	// killTimeout is the app's kill_timeout after `pm2 start args...`.
	killTimeout := func(t *testing.T, d *daemon, dir string, args ...string) float64 {
		t.Helper()
		d.mustRun(dir, append([]string{"start"}, args...)...)
		v, ok := d.one("api").num("kill_timeout")
		if !ok {
			t.Fatalf("pm2 start %v: no kill_timeout in pm2 jlist", args)
		}
		d.mustRun(dir, "delete", "api")
		return v
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			d := p.newDaemon(t)
			dir := stage(t, rule, "bad")
			// ecosystem.config.js says 3000, ecosystem.config.cjs 8000.
			if v := killTimeout(t, d, dir); v != 3000 {
				t.Errorf("pm2 start (no argument): kill_timeout %v, want 3000 from ecosystem.config.js (docs/pm2-behaviour.md#config-file-names)", v)
			}
			if v := killTimeout(t, d, dir, "ecosystem.config.cjs"); v != 8000 {
				t.Errorf("pm2 start ecosystem.config.cjs: kill_timeout %v, want 8000 (docs/pm2-behaviour.md#config-file-names)", v)
			}
		},
		"good": func(t *testing.T) {
			d := p.newDaemon(t)
			dir := stage(t, rule, "good")
			for _, args := range [][]string{nil, {"ecosystem.config.cjs"}} {
				if v := killTimeout(t, d, dir, args...); v != 8000 {
					t.Errorf("pm2 start %v: kill_timeout %v, want 8000 whichever file is loaded", args, v)
				}
			}
		},
		"cjs-only": func(t *testing.T) {
			d := p.newDaemon(t)
			r := d.run(stage(t, rule, "cjs-only"), "start")
			if want := "File ecosystem.config.js not found"; r.code != 1 || !strings.Contains(r.out, want) {
				t.Errorf("want exit 1 with %q: pm2 start does not look for .cjs (docs/pm2-behaviour.md#default-config-file), got %s", want, r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none", names(l))
			}
		},
	})
}

// noRequireESM is what the pm2 CLI does on Node before 20.19 (and 22.12):
// require() of an ES module throws ERR_REQUIRE_ESM. Later versions keep
// that behaviour behind this flag.
const noRequireESM = "NODE_OPTIONS=--no-experimental-require-module"

func proveESMNamedApps(t *testing.T, p *pm2Install) {
	const rule = "esm-named-apps"
	online := func(variant, file string, env ...string) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t, env...)
			d.mustRun(stage(t, rule, variant), "start", file)
			d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].Name == "web" && l[0].status() == "online" })
		}
	}
	refused := func(env ...string) func(t *testing.T) {
		return func(t *testing.T) {
			d := p.newDaemon(t, env...)
			r := d.run(stage(t, rule, "bad"), "start", "ecosystem.config.mjs")
			if r.code != 1 || !strings.Contains(r.out, "ERR_REQUIRE_ESM") {
				t.Errorf("want exit 1 with ERR_REQUIRE_ESM when node cannot require() ES modules (docs/pm2-behaviour.md#esm-config), got %s", r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none", names(l))
			}
		}
	}
	// export const apps works where node can require() ES modules
	// (>= 20.19, 22.12), and fails where it cannot.
	bad := refused()
	if canRequireESM(t, p) {
		bad = online("bad", "ecosystem.config.mjs")
	}
	variants(t, map[string]func(t *testing.T){
		"bad":                      bad,
		"bad-without-require-esm":  refused(noRequireESM),
		"good":                     online("good", "ecosystem.config.cjs"),
		"good-without-require-esm": online("good", "ecosystem.config.cjs", noRequireESM),
	})
}

// canRequireESM reports whether the node that runs pm2 can require() ES
// modules (process.features.require_module, Node >= 20.19 / 22.12).
func canRequireESM(t *testing.T, p *pm2Install) bool {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), p.node, "-p", "process.features.require_module === true")
	cmd.Env = []string{"PATH=" + p.path}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("asking node whether it can require() ES modules: %v", err)
	}
	t.Logf("node can require() ES modules: %s", strings.TrimSpace(string(out)))
	return strings.TrimSpace(string(out)) == "true"
}

// --- §6-7 cluster mode ---------------------------------------------------

func proveClusterModeNonNodeScript(t *testing.T, p *pm2Install) {
	const rule = "cluster-mode-non-node-script"
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed: cannot run a .sh script under PM2")
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			d.mustRun(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			w := d.waitFor("errored", 30*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "errored" })[0]
			if m := w.Env["exec_mode"]; m != "cluster_mode" {
				t.Errorf("exec_mode %v, want cluster_mode", m)
			}
			// max_restarts: 3 -> 3 starts, all within min_uptime.
			if n, _ := w.num("restart_time"); n != 2 {
				t.Errorf("restart_time %v, want 2 (3 starts, max_restarts: 3) (docs/pm2-behaviour.md#unstable-restarts)", n)
			}
			if s := readText(marker); s != "" {
				t.Errorf("marker %q: the shell script ran, want it never run as a shell script in a cluster worker (docs/pm2-behaviour.md#cluster-mode-node-only)", s)
			}
			if log := logWithin(d.daemonLog, "had too many unstable restarts"); !strings.Contains(log, "had too many unstable restarts") {
				t.Errorf("daemon log lacks the unstable-restarts line (docs/pm2-behaviour.md#unstable-restarts):\n%s", log)
			}
		},
		"good": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			waitFile(t, marker, "started", 10*time.Second)
			first := d.waitFor("online", 10*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "online" })[0]
			if it := first.Env["exec_interpreter"]; it != "bash" {
				t.Errorf("exec_interpreter %v, want bash (docs/pm2-behaviour.md#interpreter-by-extension)", it)
			}
			// Still the same process a moment later: no crash loop.
			time.Sleep(1500 * time.Millisecond)
			w := d.one("worker")
			if w.status() != "online" || w.PID != first.PID {
				t.Errorf("status %s pid %d, want still online as pid %d", w.status(), w.PID, first.PID)
			}
		},
	})
}

func proveClusterInterpreterIgnored(t *testing.T, p *pm2Install) {
	const rule = "cluster-interpreter-ignored"
	// runs starts the variant and returns the marker's lines once the app
	// has written its own.
	runs := func(t *testing.T, variant, mode string) []string {
		marker := filepath.Join(t.TempDir(), "marker")
		d := p.newDaemon(t, "MARKER="+marker)
		d.mustRun(stage(t, rule, variant), "start", "ecosystem.config.js")
		waitFile(t, marker, "app ", 10*time.Second)
		web := d.one("web")
		if m := web.Env["exec_mode"]; m != mode {
			t.Errorf("exec_mode %v, want %s", m, mode)
		}
		if it := web.Env["exec_interpreter"]; it != "./node-wrapper.sh" {
			t.Errorf("exec_interpreter %v, want ./node-wrapper.sh as configured", it)
		}
		return strings.Split(strings.TrimSpace(readText(marker)), "\n")
	}
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			if got, want := runs(t, "bad", "cluster_mode"), []string{"app node"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: in cluster mode the interpreter must never run (docs/pm2-behaviour.md#cluster-mode-node-only)", got, want)
			}
		},
		"bad-node-version": func(t *testing.T) {
			d := p.newDaemon(t)
			r := d.run(stage(t, rule, "bad-node-version"), "start", "ecosystem.config.js")
			if want := "Choosing the Node.js version in cluster mode is not supported"; !strings.Contains(r.out, want) {
				t.Errorf("pm2 start does not say %q (docs/pm2-behaviour.md#implicit-cluster-mode): %s", want, r)
			}
			if r.code != 1 {
				t.Errorf("exit %d, want 1: %s", r.code, r)
			}
			if l := d.jlist(); len(l) != 0 {
				t.Errorf("apps started: %v, want none", names(l))
			}
		},
		"good": func(t *testing.T) {
			if got, want := runs(t, "good", "fork_mode"), []string{"wrapper", "app node"}; !equal(got, want) {
				t.Errorf("marker %q, want %q: in fork mode the interpreter runs the app (docs/pm2-behaviour.md#interpreter-by-extension)", got, want)
			}
		},
	})
}

// --- §9 max_memory_restart vs the V8 heap ------------------------------

func proveMemoryLimitVsHeap(t *testing.T, p *pm2Install) {
	const rule = "memory-limit-vs-heap"
	variants(t, map[string]func(t *testing.T){
		"bad": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			o := d.observe()
			d.mustRun(stage(t, rule, "bad"), "start", "ecosystem.config.js")
			api := d.waitFor("errored", 30*time.Second, func(l []proc) bool { return len(l) == 1 && l[0].status() == "errored" })[0]
			// max_restarts: 3 -> 3 starts, each a crash within min_uptime.
			if n, _ := api.num("restart_time"); n != 2 {
				t.Errorf("restart_time %v, want 2 (3 crashes within min_uptime) (docs/pm2-behaviour.md#unstable-restarts)", n)
			}
			// docs/pm2-behaviour.md#max-memory-restart quotes "Reached heap limit"; under CPU load V8 also
			// says "Ineffective mark-compacts near heap limit". Both end in
			// the same words, which are what the rule texts quote.
			const oom = "heap limit Allocation failed - JavaScript heap out of memory"
			errLog := logWithin(api.errLog, oom)
			if !strings.Contains(errLog, oom) {
				t.Errorf("error log lacks V8's heap limit message %q (docs/pm2-behaviour.md#heap-limit-first):\n%s", oom, tail([]byte(errLog), 2000))
			} else if !strings.Contains(errLog, "FATAL ERROR: Reached heap limit") {
				t.Logf("V8 worded the abort differently from docs/pm2-behaviour.md#heap-limit-first: %s", firstLineWith(errLog, oom))
			}
			log := d.daemonLog()
			if n := strings.Count(log, "via signal [SIGABRT]"); n != 3 {
				t.Errorf("daemon log shows %d exits via SIGABRT, want 3 (docs/pm2-behaviour.md#max-memory-restart):\n%s", n, log)
			}
			if strings.Contains(log, "exceeds --max-memory-restart") {
				t.Errorf("PM2 restarted the app for memory; want V8 to abort first (docs/pm2-behaviour.md#heap-limit-first):\n%s", log)
			}
			if s := readText(marker); s != "" {
				t.Errorf("marker %q: the app reached 128 MiB of heap, want it aborted at 64", s)
			}
			// Each run lived well under PM2's 30-s memory check, on the
			// daemon's clock.
			for _, ob := range o.all() {
				if ob.Kind == "event" && ob.Event == "exit" && ob.Name == "api" {
					if lived := ms(ob.PmUptime, ob.At); lived >= 10*time.Second {
						t.Errorf("a run lived %v, want < min_uptime 10s", lived)
					} else {
						t.Logf("run aborted by V8 %v after launch", lived)
					}
				}
			}
		},
		"good": func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "marker")
			d := p.newDaemon(t, "MARKER="+marker)
			d.mustRun(stage(t, rule, "good"), "start", "ecosystem.config.js")
			waitFile(t, marker, "full ", 20*time.Second)
			api := d.one("api")
			if api.status() != "online" {
				t.Errorf("status %s with 128 MiB of heap, want online", api.status())
			}
			if n, _ := api.num("restart_time"); n != 0 {
				t.Errorf("restart_time %v, want 0", n)
			}
			if v, _ := api.num("max_memory_restart"); v != 1<<30 {
				t.Errorf("max_memory_restart %v, want %d (docs/pm2-behaviour.md#max-memory-restart)", v, 1<<30)
			}
		},
	})
}
