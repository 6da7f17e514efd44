package pm2

import (
	"regexp"
	"slices"
	"testing"
)

// TestConfigFileKind follows PM2's substring test on file names (docs/pm2-behaviour.md#config-file-names).
func TestConfigFileKind(t *testing.T) {
	for name, want := range map[string]ConfigKind{
		"ecosystem.config.js":          ConfigJS,
		"svc/ecosystem.config.cjs":     ConfigJS,
		"ecosystem.config.mjs":         ConfigMJS,
		"process.json":                 ConfigJSON,
		"ecosystem.json5":              ConfigJSON, // matched by .json
		"pm2.yml":                      ConfigYAML,
		"apps.yaml":                    ConfigYAML,
		"ecosystem.js":                 ConfigNone, // run as an app
		"ecosystem.cjs":                ConfigNone,
		"ecosystem.config.ts":          ConfigNone,
		"dir.json/ecosystem.config.ts": ConfigNone, // only the base name counts
	} {
		if got := ConfigFileKind(name); got != want {
			t.Errorf("ConfigFileKind(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestCanonical covers the schema's aliases, PM2's automatic camelCase
// aliases and the env_ pattern (docs/pm2-behaviour.md#option-aliases).
func TestCanonical(t *testing.T) {
	s := Default()
	for key, want := range map[string]string{
		"wait_ready":       "wait_ready",
		"waitReady":        "wait_ready",
		"interpreter":      "exec_interpreter",
		"interpreter_args": "node_args",
		"interpreterArgs":  "node_args",
		"cmd":              "script",
		"exec":             "script",
		"combine_logs":     "merge_logs",
		"env_production":   "env_production",
		"restartDelay":     "restart_delay",
	} {
		got, ok := s.Canonical(key)
		if !ok || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
	for _, unknown := range []string{"kill_signal", "max_memory", "restart_on_crash", "ready_timeout", "env_"} {
		if got, ok := s.Canonical(unknown); ok {
			t.Errorf("Canonical(%q) = %q, want unknown (PM2 drops it)", unknown, got)
		}
	}
	if o, ok := s.Lookup("max_memory_restart"); !ok || s.Regexp(o.Key) == nil || s.Regexp(o.Key).MatchString("1.5G") {
		t.Errorf("max_memory_restart regex must reject 1.5G (docs/pm2-behaviour.md#invalid-values-abort): %+v", o)
	}
}

// TestInterpreter follows lib/API/interpreter.json and the bash -c rewrite
// of scripts with spaces (docs/pm2-behaviour.md#interpreter-by-extension).
func TestInterpreter(t *testing.T) {
	for _, c := range []struct {
		script string
		binary bool
		want   string
	}{
		{"index.js", false, "node"},
		{"./run.sh", false, "bash"},
		{"app.py", false, "python"},
		{"server.ts", false, "bun"},
		{"bin/server", true, "none"},
		{"bin/server", false, "node"},
		{"npm start", false, "none"},
	} {
		if got := Interpreter(c.script, c.binary); got != c.want {
			t.Errorf("Interpreter(%q, %v) = %q, want %q", c.script, c.binary, got, c.want)
		}
	}
	if !ViaShell("node app.js") || ViaShell("app.js") {
		t.Error("ViaShell: a script with a space runs through bash, one without does not")
	}
	for in, want := range map[string]bool{"node": true, "/usr/bin/node": true, "node@20": true, "bun": true, "bash": false, "python3": false} {
		if IsNode(in) != want {
			t.Errorf("IsNode(%q) = %v, want %v", in, !want, want)
		}
	}
}

// TestClusterMode follows lib/Common.js:339-357 (docs/pm2-behaviour.md#implicit-cluster-mode): exec_mode wins;
// without it, instances >= -1 (0 for 'max') means cluster for node only.
func TestClusterMode(t *testing.T) {
	for _, c := range []struct {
		mode      string
		set       bool
		instances int
		interp    string
		want      bool
	}{
		{"cluster", false, 1, "bash", true},
		{"fork_mode", true, 4, "node", false},
		{"", true, 1, "node", true},
		{"", true, 0, "node", true},
		{"", true, -1, "node", true},
		{"", true, -2, "node", false},
		{"", false, 1, "node", false},
		{"", true, 2, "bash", false},
		{"", true, 2, "none", false},
	} {
		if got := ClusterMode(c.mode, c.set, c.instances, c.interp); got != c.want {
			t.Errorf("ClusterMode(%q, %v, %d, %q) = %v, want %v", c.mode, c.set, c.instances, c.interp, got, c.want)
		}
	}
}

// TestPackageManager protects which scripts run the app's code through a
// package manager (no IPC channel to PM2 in the code's process).
func TestPackageManager(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"npm", "npm"},
		{"/usr/bin/npm", "npm"},
		{"npm run start:prod", "npm"},
		{"  yarn ", "yarn"},
		{"yarnpkg", "yarnpkg"},
		{"pnpm", "pnpm"},
		{"/home/u/.nvm/versions/node/v20.11.0/bin/pnpm", "pnpm"},
		{"npx", ""}, // not proven: npx is left alone
		{"node", ""},
		{"./npm.js", ""},
		{"server.js", ""},
		{"node_modules/.bin/next", ""},
		{"", ""},
	} {
		if got := PackageManager(tc.script); got != tc.want {
			t.Errorf("PackageManager(%q) = %q, want %q", tc.script, got, tc.want)
		}
	}
}

// TestIsNodeFlag: what node_args must contain before auditbot says a
// non-Node interpreter rejects them. python's -u (the bingo-bot app of a
// real ecosystem file: interpreter './venv/bin/python3',
// interpreter_args: '-u') is python's own flag, not Node's.
func TestIsNodeFlag(t *testing.T) {
	for arg, want := range map[string]bool{
		"--max-old-space-size=256": true, "--max_old_space_size=3000": true, "--stack_trace_limit=0": true,
		"--require": true, "--inspect": true, "--inspect=0.0.0.0:9229": true, "--expose-gc": true,
		"--harmony": true, "--harmony-top-level-await": true, "--no-warnings": true, "--no-deprecation": true,
		"--nouse-idle-notification": true, "--enable-source-maps": true, "--unhandled-rejections=strict": true,
		"--experimental-strip-types": true, "--trace-warnings": true, "--env-file=.env": true, "--import": true,
		"-u": false, "-r": false, "-B": false, "-x": false, "--help": false, "--version": false,
		"--bind": false, "--workers": false, "--log-level": false, "": false, "--": false, "dotenv/config": false,
		"--trace": false, "--test": false,
	} {
		if got := IsNodeFlag(arg); got != want {
			t.Errorf("IsNodeFlag(%q) = %v, want %v", arg, got, want)
		}
	}
}

// TestFileCommands protects how auditbot reads the pm2 commands of deploy
// hooks and package.json scripts (docs/pm2-behaviour.md#file-commands-keep-removed-keys, docs/pm2-behaviour.md#env-name).
func TestFileCommands(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []FileCommand
	}{
		{"npm ci && pm2 reload ecosystem.config.js --env production",
			[]FileCommand{{Sub: "reload", File: "ecosystem.config.js", Env: "production"}}},
		{"pm2 startOrRestart ./deploy/ecosystem.json --env=staging --update-env",
			[]FileCommand{{Sub: "startOrRestart", File: "./deploy/ecosystem.json", Env: "staging"}}},
		{"pm2-runtime start ecosystem.config.js", []FileCommand{{Sub: "start", File: "ecosystem.config.js"}}},
		{"pm2 reload a.config.js; pm2 start b.config.js --env prod",
			[]FileCommand{{Sub: "reload", File: "a.config.js"}, {Sub: "start", File: "b.config.js", Env: "prod"}}},
		{"pm2 restart api --env production", []FileCommand{{Sub: "restart", File: "api", Env: "production"}}},
		{"pm2 delete api", nil},
		{"pm2 logs", nil},
		{"npm run build", nil},
		{"echo --environment x pm2 save", nil},
	} {
		if got := FileCommands(tc.line); !slices.Equal(got, tc.want) {
			t.Errorf("FileCommands(%q) = %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

// TestReferenceBehaviours: tokens of known behaviours become reference
// links with one definition per behaviour at the end; an unknown token
// and a text without tokens are left alone.
func TestReferenceBehaviours(t *testing.T) {
	in := "A (§kill-signal), B (§watch), C (§kill-signal), D (§no-such-thing).\n"
	const base = "https://x/pm2-behaviour.md"
	want := "A ([§kill-signal][]), B ([§watch][]), C ([§kill-signal][]), D (§no-such-thing).\n\n" +
		"[§kill-signal]: https://x/pm2-behaviour.md#kill-signal\n[§watch]: https://x/pm2-behaviour.md#watch\n"
	if got := ReferenceBehaviours(in, base); got != want {
		t.Errorf("ReferenceBehaviours =\n%s\nwant\n%s", got, want)
	}
	if got := ReferenceBehaviours("no citation\n", base); got != "no citation\n" {
		t.Errorf("text without citations changed: %q", got)
	}
	if got, want := LinkBehaviours("x (§watch, §watcher-first-start).", "b.md"), "x ([§watch](b.md#watch), [§watcher-first-start](b.md#watcher-first-start))."; got != want {
		t.Errorf("LinkBehaviours = %q, want %q", got, want)
	}
	if in := "```sh\n# keeps removed keys (§watch)\n```\n"; ReferenceBehaviours(in, base) != in {
		t.Errorf("a token in a code block was linked: %q", ReferenceBehaviours(in, base))
	}
	if got := ReferenceBehaviours("see section §watch§.2", base); got != "see section §watch§.2" {
		t.Errorf("a §name§ placeholder was linked: %q", got)
	}
	if got := BehaviourTokens("§a, §b-c and §a, section §risks§"); !slices.Equal(got, []string{"a", "b-c"}) {
		t.Errorf("BehaviourTokens = %v", got)
	}
}

// TestBehavioursRegistry: ids are unique kebab-case anchors, every
// behaviour has a title, text, version and source or proof, and a
// behaviour without a proof says why.
func TestBehavioursRegistry(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, b := range Behaviours() {
		if !kebab.MatchString(b.ID) || seen[b.ID] {
			t.Errorf("behaviour id %q: not kebab-case or duplicate", b.ID)
		}
		seen[b.ID] = true
		if b.Title == "" || b.Text == "" || b.Version != ProvenVersion {
			t.Errorf("%s: title, text or version missing", b.ID)
		}
		if len(b.Proofs) == 0 && b.Unproven == "" {
			t.Errorf("%s: no proof and no reason why", b.ID)
		}
		if len(b.Proofs) > 0 && b.Unproven != "" {
			t.Errorf("%s: proven and unproven", b.ID)
		}
		if got, ok := LookupBehaviour(b.ID); !ok || got.ID != b.ID {
			t.Errorf("LookupBehaviour(%q) failed", b.ID)
		}
	}
	if _, ok := LookupBehaviour("no-such-behaviour"); ok {
		t.Error("LookupBehaviour of an unknown id succeeded")
	}
}
