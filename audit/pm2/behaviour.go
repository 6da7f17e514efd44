package pm2

import (
	"regexp"
	"slices"
	"strings"
)

// BehaviourDoc is the repository path of the document generated from
// Behaviours: one section per behaviour, anchored by its ID.
const BehaviourDoc = "docs/pm2-behaviour.md"

// BehaviourDocURL is where BehaviourDoc is published, for outputs read
// outside this repository (a report in another repository, a pull
// request comment): a relative link would point into the audited
// repository there.
const BehaviourDocURL = "https://github.com/auditbot/auditbot/blob/main/" + BehaviourDoc

// ProvenVersion is the PM2 version the proofs run (audit/proof pins it
// in testdata/npm/package-lock.json) and whose source lines the
// behaviours cite.
const ProvenVersion = "7.0.4"

// Behaviour is one thing PM2 does that a rule, the report or the scanner
// relies on, as data: docs/pm2-behaviour.md is generated from it and
// rules cite it by ID.
type Behaviour struct {
	// ID is the stable anchor of the behaviour in BehaviourDoc
	// (kebab-case); it never changes once cited.
	ID string
	// Title says the behaviour in one line.
	Title string
	// Text explains it in a few sentences of Markdown: what PM2 does,
	// defaults, messages it prints.
	Text string
	// Version is the PM2 version the behaviour was read and observed on.
	Version string
	// Source are the places in PM2's code it comes from, as
	// "file:lines" of the pm2 npm package at Version.
	Source []string
	// Proofs are the runs of audit/proof that observe it on a real PM2;
	// none when it is not proven by a run (Unproven says why).
	Proofs []Proof
	// Unproven says why no run of audit/proof shows the behaviour.
	Unproven string
}

// Proof is one case of audit/proof that observes a behaviour.
type Proof struct {
	// Case is the case directory under audit/proof/testdata, and the
	// subtest of TestPM2 that runs it.
	Case string
	// Variants are the variant directories (and sub-subtests) whose run
	// shows the behaviour; empty means the whole case.
	Variants []string
}

// Test names the go test that runs the proof: TestPM2/<case>, or
// TestPM2/<case>/<variant> for one variant.
func (p Proof) Test() string {
	if len(p.Variants) == 1 {
		return "TestPM2/" + p.Case + "/" + p.Variants[0]
	}
	return "TestPM2/" + p.Case
}

// BehaviourRef is how outputs inside this repository cite a behaviour:
// the document path and the behaviour's anchor.
func BehaviourRef(id string) string { return BehaviourDoc + "#" + id }

// Texts (rule catalogs, report catalogs and templates) cite a behaviour
// with one language-neutral token, "§<id>" (e.g. "§kill-signal"), which
// stays readable in plain-text outputs and survives Markdown escaping;
// Markdown outputs turn it into a link with LinkBehaviours or
// ReferenceBehaviours. A token whose id is no behaviour is left as it is
// (a test keeps the catalogs free of them). A name closed by a second
// "§" ("§risks§", the report's section-number placeholder) is no token.
var behaviourToken = regexp.MustCompile(`§([a-z0-9]+(?:-[a-z0-9]+)*)`)

// replaceTokens replaces each behaviour token of s with repl(token), and
// leaves "§name§" placeholders alone.
func replaceTokens(s string, repl func(string) string) string {
	var b strings.Builder
	last := 0
	for _, m := range behaviourToken.FindAllStringIndex(s, -1) {
		if strings.HasPrefix(s[m[1]:], "§") {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(repl(s[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// BehaviourTokens returns the ids of the "§<id>" tokens in text, known or
// not, in order of first appearance.
func BehaviourTokens(text string) []string {
	var ids []string
	replaceTokens(text, func(tok string) string {
		if id := tok[len("§"):]; !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		return tok
	})
	return ids
}

// LinkBehaviours turns every "§<id>" token of a known behaviour into the
// Markdown link "[§<id>](<base>#<id>)": base is "pm2-behaviour.md" from
// docs/, BehaviourDoc from the repository root.
func LinkBehaviours(text, base string) string {
	return replaceOutsideCode(text, func(m string) string {
		id := m[len("§"):]
		if _, ok := LookupBehaviour(id); !ok {
			return m
		}
		return "[" + m + "](" + base + "#" + id + ")"
	})
}

// replaceOutsideCode replaces the behaviour tokens of text with repl,
// except in fenced code blocks, where a link would not render.
func replaceOutsideCode(text string, repl func(string) string) string {
	lines := strings.SplitAfter(text, "\n")
	fenced := false
	for i, l := range lines {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
			continue
		}
		if !fenced {
			lines[i] = replaceTokens(l, repl)
		}
	}
	return strings.Join(lines, "")
}

// ReferenceBehaviours is LinkBehaviours for long documents: each token
// becomes the reference link "[§<id>][]" and one definition per cited
// behaviour, pointing into base, is appended at the end, so that a report
// citing a behaviour ten times carries its address once.
func ReferenceBehaviours(markdown, base string) string {
	var cited []string
	out := replaceOutsideCode(markdown, func(m string) string {
		id := m[len("§"):]
		if _, ok := LookupBehaviour(id); !ok {
			return m
		}
		if !slices.Contains(cited, id) {
			cited = append(cited, id)
		}
		return "[" + m + "][]"
	})
	if len(cited) == 0 {
		return out
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(out, "\n"))
	b.WriteString("\n\n")
	for _, id := range cited {
		b.WriteString("[§" + id + "]: " + base + "#" + id + "\n")
	}
	return b.String()
}

// LookupBehaviour returns the behaviour with the given ID.
func LookupBehaviour(id string) (Behaviour, bool) {
	i := slices.IndexFunc(behaviours(), func(b Behaviour) bool { return b.ID == id })
	if i < 0 {
		return Behaviour{}, false
	}
	return behaviours()[i], true
}

// Behaviours returns every behaviour in document order. The slice is new
// on every call.
func Behaviours() []Behaviour { return behaviours() }

func proof(c string, variants ...string) Proof { return Proof{Case: c, Variants: variants} }

// behaviours is the list, in the order the document reads: starting,
// stopping, loading the file, options, interpreters and modes, restarts,
// memory, watching, applying a changed file, environments.
func behaviours() []Behaviour {
	v := ProvenVersion
	return []Behaviour{
		// --- starting: wait_ready and listen_timeout ---
		{ID: "wait-ready-message", Version: v,
			Title: "With `wait_ready: true`, only the exact string `'ready'` sent over IPC counts",
			Text: "With `wait_ready: true` PM2 keeps the app `launching` until the process sends exactly the string `'ready'` " +
				"over its IPC channel (`process.send('ready')`). The daemon compares the raw message with `=== 'ready'` " +
				"and checks the sender's name and id; an object such as `{type: 'ready'}` is never accepted. " +
				"`process.send` called without `process` as `this` (`const { send } = process; send('ready')`) throws a `TypeError` in Node and sends nothing.",
			Source: []string{"lib/God.js:332-342 (cluster)", "lib/God.js:393-400 (fork)", "lib/God/Reload.js:180-186 (cluster reload)", "lib/God/ForkMode.js:226-261", "lib/God/ClusterMode.js:59-92"},
			Proofs: []Proof{proof("wait-ready-without-handshake", "good", "bad-object", "bad-unbound", "good-bound-alias")}},
		{ID: "wait-ready-timeout", Version: v,
			Title: "Without the `'ready'` message, PM2 waits `listen_timeout` and marks the app `online` anyway",
			Text: "If a `wait_ready` app never sends `'ready'`, PM2 keeps it `launching` for `listen_timeout` milliseconds and then " +
				"calls the same callback as for a real ready: the app becomes `online`, with no error and no restart. " +
				"The default is 3000 ms, and `listen_timeout: 0` also means 3000 (`listen_timeout || 3000`). " +
				"Instances start one after another, so N instances wait N × `listen_timeout`. " +
				"`pm2 start` blocks the whole time and prints `[PM2][WARN] App <name> has option 'wait_ready' set, waiting for app to be ready...`. " +
				"(Since 7.0.4 a process that exits before `'ready'` ends the wait at once.)",
			Source: []string{"lib/God.js:326-330 (cluster)", "lib/God.js:387-391 (fork)", "lib/God.js:148 (instances one at a time)", "constants.js:83 (GRACEFUL_LISTEN_TIMEOUT)", "lib/API.js:1153-1155"},
			Proofs: []Proof{proof("wait-ready-without-handshake", "bad", "bad-object", "bad-unbound", "bad-fork-worker")}},
		{ID: "ready-ignored-without-wait-ready", Version: v,
			Title: "Without `wait_ready`, PM2 ignores `'ready'` and marks the app `online` when it starts",
			Text: "PM2 listens for `'ready'` only when the app has `wait_ready: true`. Without it a fork app is `online` as soon as it is " +
				"spawned and a cluster worker as soon as it comes online, before it listens; a `process.send('ready')` in the code is ignored.",
			Source: []string{"lib/God.js:323-324 (cluster)", "lib/God.js:384-385 (fork)"},
			Proofs: []Proof{proof("handshake-without-wait-ready")}},
		{ID: "cluster-worker-ready", Version: v,
			Title: "`cluster.worker.send('ready')` reaches PM2 only in cluster mode",
			Text: "In a cluster worker `cluster.worker.process` is `process`, so `cluster.worker.send('ready')` sends the same IPC message as " +
				"`process.send('ready')`. In fork mode the app is no cluster worker: `cluster.worker` is `undefined` and nothing is sent. " +
				"This is Node's `cluster` module, not PM2 code.",
			Proofs: []Proof{proof("wait-ready-without-handshake", "good-cluster-worker", "bad-fork-worker")}},
		{ID: "ready-through-package-manager", Version: v,
			Title: "An app started through `npm`/`yarn`/`pnpm` has no IPC channel to PM2",
			Text: "With `script: 'npm'` (or `yarn`, `pnpm`) and `args: 'start'`, PM2's child is the package manager; the code runs in a " +
				"process the package manager spawns without PM2's IPC channel, where `process.send` is `undefined`. Its `'ready'` never " +
				"reaches PM2, so a `wait_ready` app waits `listen_timeout` every start. A bash wrapper (`script: './start.sh'` running " +
				"`node app.js`) passes the channel on. The proof runs npm only; yarn 1.22 and pnpm 9 were checked by hand " +
				"([findings](../audit/proof/FINDINGS.md)).",
			Source: []string{"lib/God/ForkMode.js:122 (spawn of the interpreter with an IPC channel)"},
			Proofs: []Proof{proof("wait-ready-through-package-manager")}},
		{ID: "wait-ready-no-traffic-gate", Version: v,
			Title: "`wait_ready` does not hold back traffic",
			Text: "The app's socket accepts connections as soon as it listens. PM2 uses `'ready'` only for the app's status and, on a cluster " +
				"`pm2 reload`, to decide when to stop the old worker.",
			Source:   []string{"lib/God.js:318-343", "lib/God/Reload.js:180-200"},
			Unproven: "no case observes connections during the wait; it follows from the code, which never touches the app's socket"},
		{ID: "listen-timeout", Version: v,
			Title: "`listen_timeout` is read only by the `wait_ready` wait and by cluster reloads",
			Text: "`listen_timeout` bounds the wait for `'ready'` when `wait_ready` is true, and the wait for the worker's `'listening'` event " +
				"during a cluster-mode `pm2 reload` (the old worker is stopped when the new one listens, or after `listen_timeout`). " +
				"Nothing else reads it: in fork mode without `wait_ready` it has no effect.",
			Source: []string{"lib/God.js:330", "lib/God.js:391", "lib/God/Reload.js:116", "lib/God/Reload.js:200"},
			Proofs: []Proof{proof("listen-timeout-without-effect")}},
		{ID: "fork-reload-is-restart", Version: v,
			Title: "`pm2 reload` of a fork-mode app is a plain restart",
			Text: "Only cluster-mode apps are reloaded worker by worker. For a fork-mode app `reloadProcessId` calls `restartProcessId`: " +
				"the old process is stopped before the new one starts, whatever `listen_timeout` says, so there is downtime.",
			Source: []string{"lib/God/Reload.js:272-297"},
			Proofs: []Proof{proof("listen-timeout-without-effect", "bad")}},

		// --- stopping ---
		{ID: "kill-signal", Version: v,
			Title: "PM2 stops an app with `SIGINT`; only the daemon's `PM2_KILL_SIGNAL` changes that",
			Text: "On stop, restart, delete and the kill step of a reload PM2 sends `SIGINT` (to the whole process tree, `treekill` being on " +
				"by default). The signal comes from `PM2_KILL_SIGNAL` in the environment of the **daemon** when it starts, default `SIGINT`; " +
				"it is daemon-wide, never per app. A Node app that handles only `SIGTERM` never runs that handler under PM2: `SIGINT`'s " +
				"default action kills it at once.",
			Source: []string{"constants.js:105 (KILL_SIGNAL)", "lib/God/Methods.js:242", "lib/God/Methods.js:249"},
			Proofs: []Proof{proof("kill-signal-not-handled", "bad", "good")}},
		{ID: "kill-timeout", Version: v,
			Title: "After `kill_timeout` (default 1600 ms) PM2 sends `SIGKILL`",
			Text: "After the first signal (or shutdown message) PM2 polls the process tree and, once `kill_timeout` ms have passed, sends " +
				"`SIGKILL` to every pid still alive and logs `Process with pid <pid> still alive after <kill_timeout>ms, sending SIGKILL ...`. " +
				"The default is 1600 ms (`PM2_KILL_TIMEOUT` on the daemon); `kill_timeout: 0` counts as unset.",
			Source: []string{"constants.js:103 (KILL_TIMEOUT)", "lib/God/Methods.js:158", "lib/God/Methods.js:195-207"},
			Proofs: []Proof{proof("kill-signal-not-handled", "sigkill")}},
		{ID: "shutdown-with-message", Version: v,
			Title: "`shutdown_with_message: true` sends the IPC message `'shutdown'` instead of a signal",
			Text: "With `shutdown_with_message: true` (or the daemon's `PM2_KILL_USE_MESSAGE`) PM2 calls `proc.send('shutdown')` instead of " +
				"signalling: the app receives the string `'shutdown'` through `process.on('message')` and no `SIGINT`. `kill_timeout` and " +
				"`SIGKILL` follow as usual.",
			Source: []string{"lib/God/Methods.js:223-233"},
			Proofs: []Proof{proof("kill-signal-not-handled", "good-message")}},
		{ID: "no-kill-signal-option", Version: v,
			Title: "`kill_signal` is not a PM2 option",
			Text: "There is no per-app `kill_signal`: it is not in PM2's schema and no code reads it, so the validator drops it silently " +
				"(`pm2 jlist` has no `kill_signal`) and the app is still stopped with `SIGINT`.",
			Source: []string{"lib/API/schema.json (no kill_signal key)", "lib/tools/Config.js:82-140"},
			Proofs: []Proof{proof("kill-signal-option")}},

		// --- loading the file ---
		{ID: "config-file-names", Version: v,
			Title: "PM2 reads a file as configuration only by its name",
			Text: "A file is a configuration when its name contains `.json`, `.yml`, `.yaml`, `.config.js`, `.config.cjs` or `.config.mjs` " +
				"(a substring test). Any other file given to `pm2 start` is started as an application: `pm2 start ecosystem.js` runs " +
				"`ecosystem.js` itself as an app named `ecosystem`. `.json` files are evaluated as JavaScript expressions (comments, " +
				"unquoted keys and trailing commas pass); YAML is read with js-yaml; JavaScript files with `require()`. " +
				"PM2 takes `apps`, else `pm2`, else the object itself.",
			Source: []string{"lib/Common.js:242-270", "lib/Common.js:279-306", "lib/API.js:943-954"},
			Proofs: []Proof{proof("ecosystem-not-loadable"), proof("apps-key-missing")}},
		{ID: "default-config-file", Version: v,
			Title: "`pm2 start` without a file argument loads only `ecosystem.config.js`",
			Text: "With no argument `pm2 start` uses `ecosystem.config.js` and never looks for `.cjs` or `.mjs`: in a directory with only " +
				"`ecosystem.config.cjs` it fails with `File ecosystem.config.js not found`. Any other name must be given explicitly.",
			Source: []string{"constants.js:34 (APP_CONF_DEFAULT_FILE)", "lib/binaries/CLI.js:292-293"},
			Proofs: []Proof{proof("twin-config-drift")}},
		{ID: "esm-config", Version: v,
			Title: "PM2 loads a configuration with `require()`: `export default` and CommonJS in a `\"type\": \"module\"` package fail",
			Text: "A `.config.js`/`.config.mjs` file is loaded with `require()`, never `import()`, and `default` is not unwrapped. " +
				"`export default {apps}` gives `No script path - aborting`; `module.exports` in a `.config.js` whose package is " +
				"`\"type\": \"module\"` fails with `module is not defined in ES module scope` (or `ERR_REQUIRE_ESM` on older Node). " +
				"`.config.cjs` always works. `export const apps = [...]` works only when the Node running the pm2 CLI can `require()` " +
				"ES modules (Node 20.19+, 22.12+); on older Node it fails with `ERR_REQUIRE_ESM`.",
			Source: []string{"lib/Common.js:299-306"},
			Proofs: []Proof{proof("esm-ecosystem"), proof("esm-named-apps")}},
		{ID: "relative-paths", Version: v,
			Title: "Relative `script` and `cwd` are resolved against the shell's directory, not the file's",
			Text: "PM2 resolves a relative `script` and `cwd` against the current directory of the shell that runs `pm2`. Run from " +
				"elsewhere, the file fails with `Script not found: <shell dir>/<script>` and nothing starts. `cwd: __dirname` " +
				"makes a JavaScript file independent of where it is started from. A `script` that is no file is looked up in `PATH` " +
				"before PM2 gives up, so a bare command name (`node`) starts.",
			Source: []string{"lib/API.js:69", "lib/Common.js:128-145"},
			Proofs: []Proof{proof("script-not-found")}},
		{ID: "script-required", Version: v,
			Title:  "An app without `script` is not started",
			Text:   "An app with no `script` (or its aliases `exec`, `cmd`, `command`) aborts with `[PM2][ERROR] Error: No script path - aborting`.",
			Source: []string{"lib/Common.js:109-110", "lib/Common.js:715-724 (cmd, command)"},
			Proofs: []Proof{proof("esm-ecosystem", "bad"), proof("apps-key-missing", "bad")}},

		// --- options and validation ---
		{ID: "unknown-options-dropped", Version: v,
			Title: "Unknown options are dropped silently",
			Text: "The validator builds a new object with only the keys of PM2's schema (plus keys matching `^env_\\S*$`). Any other key " +
				"(`kill_signal`, `max_memory`, `restart_on_crash`, a misspelling) is dropped with no warning and exit code 0. " +
				"`env_file: '.env'` is kept only as an environment named `file`: no dotenv file is loaded.",
			Source: []string{"lib/tools/Config.js:82-140", "lib/API/schema.json"},
			Proofs: []Proof{proof("unknown-option")}},
		{ID: "option-aliases", Version: v,
			Title: "Every option also accepts its camelCase spelling and the schema's aliases",
			Text: "`waitReady` is `wait_ready`, `killTimeout` is `kill_timeout`, and the schema's explicit aliases apply " +
				"(`interpreter` for `exec_interpreter`, `interpreter_args` for `node_args`, `exec` for `script`).",
			Source: []string{"lib/tools/Config.js:23-55", "lib/API/schema.json"},
			Proofs: []Proof{proof("implicit-cluster-mode", "exec-mode-camel")}},
		{ID: "falsy-values-dropped", Version: v,
			Title: "Falsy values of options with an underscore are dropped",
			Text: "The validator copies each key with `conf[key] || (conf[key] = json[camelCaseAlias])`: when the value of an option whose " +
				"name has an underscore is falsy (`0`, `false`, `''`), the undefined camelCase alias overwrites it and the key disappears. " +
				"So `max_restarts: 0` means the default 16, and `wait_ready: false`, `kill_timeout: 0`, `restart_delay: 0` do nothing and " +
				"cannot undo an earlier value on a running app. Keys without an underscore (`autorestart`, `watch`, `instances`) keep false values.",
			Source: []string{"lib/tools/Config.js:99-101"},
			Proofs: []Proof{proof("falsy-option-ignored")}},
		{ID: "invalid-values-abort", Version: v,
			Title: "A value of the wrong type or format aborts the whole file",
			Text: "Type, regex and minimum errors are printed with the `[PM2][WARN]` prefix but are fatal: nothing in the file starts and " +
				"`pm2` exits 1. Examples: `wait_ready: 'true'`, `kill_timeout: '5s'`, `max_memory_restart: '1.5G'` or `'512MB'`, " +
				"`min_uptime: 50`, `exec_mode: 'Cluster'`. Numeric strings are accepted for numbers (`'5000'`).",
			Source: []string{"lib/tools/Config.js:12-18", "lib/tools/Config.js:150-235", "lib/Common.js:881-885", "lib/API.js:956-957"},
			Proofs: []Proof{proof("invalid-option-value")}},
		{ID: "options-exported-as-env", Version: v,
			Title: "PM2 exports every option to the app's environment",
			Text: "Every top-level key of the app's PM2 environment, options included (`name`, `instances`, `kill_timeout`, `exec_mode`...), " +
				"is an environment variable of the app, after `env` is merged in. An app reading `process.env.name` gets PM2's value.",
			Source:   []string{"lib/God/ForkMode.js:95-99", "lib/ProcessContainer.js:19-22", "lib/God.js:178"},
			Unproven: "no case reads these variables; the fact sheet we started from records a run"},

		// --- interpreters and modes ---
		{ID: "interpreter-by-extension", Version: v,
			Title: "PM2 picks the interpreter from the script's extension; a script with spaces runs through `bash -c`",
			Text: "Without `interpreter`, PM2 maps the extension: `.sh` → `bash`, `.py` → `python`, `.rb` → `ruby`, `.php` → `php`, " +
				"`.pl` → `perl`, `.js` → `node`, `.ts` → `bun` (or node's type stripping when bun is missing). Other files: a binary is " +
				"executed directly (`none`), text goes to node. A `script` containing a space is run as `bash -c \"<script>\"` with " +
				"interpreter `none`.",
			Source: []string{"lib/Common.js:434-487", "lib/API/interpreter.json", "lib/Common.js:744-764 (bash -c)"},
			Proofs: []Proof{proof("node-args-non-node-interpreter", "bad"), proof("cluster-mode-non-node-script", "good")}},
		{ID: "node-args-to-interpreter", Version: v,
			Title: "`node_args` go to whatever the interpreter is",
			Text: "In fork mode the command line is the interpreter, then `node_args` (alias `interpreter_args`), then the script and its " +
				"`args`. With `bash` or `python` the V8 flags go to that program, which rejects them (`bash: --max-old-space-size=256: " +
				"invalid option`): the app crash-loops until `errored`. With interpreter `none` (a binary, or `bash -c`) they are dropped.",
			Source: []string{"lib/God/ForkMode.js:36-67"},
			Proofs: []Proof{proof("node-args-non-node-interpreter")}},
		{ID: "package-manager-process", Version: v,
			Title: "With `script: 'npm'`, PM2's options act on the package manager's process, not on the code",
			Text: "PM2's child is the package manager. `node_args` are flags of the node running npm, not of the app (the app's " +
				"`process.execArgv` is empty), and `max_memory_restart` measures the RSS of npm's process only, children not included, " +
				"so the app's memory is never limited.",
			Source: []string{"lib/God/ForkMode.js:36-67", "lib/God/ActionMethods.js:40-119 (memory of the main pid)"},
			Proofs: []Proof{proof("options-through-package-manager")}},
		{ID: "cluster-mode-node-only", Version: v,
			Title: "Cluster mode runs Node.js only and ignores `interpreter`",
			Text: "Cluster workers are always node running PM2's `ProcessContainer.js`, which loads the script with `require`/`import()`: " +
				"`interpreter` is ignored (`pm2 jlist` still shows it), `node_args` become the workers' `execArgv`, a shell or Python " +
				"script is loaded as JavaScript and crash-loops, and a `node@<version>` interpreter is refused with `Choosing the Node.js " +
				"version in cluster mode is not supported`.",
			Source: []string{"lib/God/ClusterMode.js:40-59", "lib/Common.js:359-363", "lib/ProcessContainer.js:284-293"},
			Proofs: []Proof{proof("cluster-interpreter-ignored"), proof("cluster-mode-non-node-script")}},
		{ID: "implicit-cluster-mode", Version: v,
			Title: "`instances` without `exec_mode` means cluster mode, even `instances: 1`",
			Text: "When `exec_mode` is not set (or empty) and `instances` is 1 or more, 0, -1 or `'max'`, and the interpreter's base name " +
				"ends with `node` or `bun` (`nodejs` does not), PM2 runs the app in `cluster_mode`; -2 and below stay in `fork_mode`. Without `instances` it is `fork_mode`, and so with " +
				"`instances: null`, which the validator drops. A string is read as `parseInt(value) || 0` first (`'2'` is 2, `'all'` is 0). " +
				"The process count is `parseInt` of the value: `instances: 0` or `'max'` is one per CPU, a negative number is CPUs minus " +
				"that many (at least one), 1.5 is one.",
			Source: []string{"lib/Common.js:337-357", "lib/Common.js:857-863", "lib/God.js:137-146"},
			Proofs: []Proof{proof("implicit-cluster-mode"), proof("fork-instances-fixed-port", "instances-string", "instances-truncated")}},
		{ID: "fork-instances-no-port-sharing", Version: v,
			Title: "Fork-mode instances do not share a port",
			Text: "`instances` also applies to fork mode: N independent processes. Unlike cluster workers they share no listening socket, so " +
				"with one fixed port every instance but one fails with `EADDRINUSE` and crash-loops (to `errored` when each crash comes " +
				"within `min_uptime`). Cluster mode, or a port per instance (`NODE_APP_INSTANCE`, `increment_var`), avoids it.",
			Source: []string{"lib/God.js:148", "lib/God/ForkMode.js:122"},
			Proofs: []Proof{proof("fork-instances-fixed-port")}},
		{ID: "cluster-separate-processes", Version: v,
			Title: "Cluster instances are separate processes",
			Text: "Each instance has its own memory: in-process sessions, caches, rate limiters and schedulers are not shared and run once " +
				"per instance. `NODE_APP_INSTANCE` (0..N-1) tells instances apart.",
			Source:   []string{"lib/God.js:600-627 (NODE_APP_INSTANCE)"},
			Unproven: "general Node.js cluster behaviour; no case runs it"},

		// --- restarts ---
		{ID: "unstable-restarts", Version: v,
			Title: "Fast crashes count as unstable restarts; at `max_restarts` the app is `errored`",
			Text: "An exit counts as unstable when the run lived less than `min_uptime` (default 1000 ms) and the app was started less than " +
				"`min_uptime × max_restarts` ago. When unstable restarts reach `max_restarts` (default 16) the app is `errored` and stays " +
				"down: `Script <path> had too many unstable restarts (<n>). Stopped.`. A crash after more than `min_uptime`, or a restart " +
				"delay that spreads the crashes, restarts forever. `autorestart: false` and `stop_exit_codes` stop restarts.",
			Source: []string{"lib/God.js:433-441", "lib/God.js:471-496"},
			Proofs: []Proof{proof("falsy-option-ignored"), proof("cluster-mode-non-node-script", "bad")}},

		// --- memory ---
		{ID: "max-memory-restart", Version: v,
			Title: "`max_memory_restart` compares the main process's RSS every 30 s",
			Text: "The limit is bytes, or an integer with an upper-case `K`, `M` or `G` (`'300M'` = 314572800); `'1.5G'`, `'512MB'` and " +
				"`'512m'` abort the start. The daemon checks every 30 s (`PM2_WORKER_INTERVAL`) the RSS of the app's main pid only, " +
				"children not included, and reloads the app when it is over the limit.",
			Source: []string{"lib/API/schema.json (max_memory_restart)", "lib/tools/Config.js:216-233", "lib/Worker.js:81-106", "lib/Worker.js:176", "constants.js:102 (WORKER_INTERVAL)"},
			Proofs: []Proof{proof("options-through-package-manager", "good"), proof("invalid-option-value", "good"), proof("unknown-option", "good")}},
		{ID: "heap-limit-first", Version: v,
			Title: "A V8 heap limit below `max_memory_restart` aborts the app before PM2 restarts it",
			Text: "`--max-old-space-size` limits only V8's old-generation heap; the RSS is always higher. With a heap limit below " +
				"`max_memory_restart`, V8 aborts the process (`SIGABRT`, `... heap limit Allocation failed - JavaScript heap out of memory`) " +
				"before the RSS reaches PM2's limit: a crash, counted towards `errored`, never a memory restart.",
			Source: []string{"lib/Worker.js:81-106"},
			Proofs: []Proof{proof("memory-limit-vs-heap")}},

		// --- watching ---
		{ID: "watch", Version: v,
			Title: "`watch: true` restarts the app on any change under its `cwd`",
			Text: "The watcher watches the app's `cwd` (the shell's directory when `cwd` is not set), not the script's folder, and any " +
				"event restarts every process of the app (a stop and start, not a reload). An app that writes into its own `cwd` " +
				"(logs, uploads, SQLite) restarts itself in a loop.",
			Source: []string{"lib/Watcher.js:21-89"},
			Proofs: []Proof{proof("watch-own-log-files")}},
		{ID: "ignore-watch-replaces-defaults", Version: v,
			Title: "`ignore_watch` replaces the default ignore list",
			Text: "Without `ignore_watch` the watcher ignores dotfiles and `node_modules` (`/[\\/\\\\]\\.|node_modules/`). Setting " +
				"`ignore_watch` replaces that list, so `node_modules` must be listed again.",
			Source: []string{"lib/Watcher.js:38"},
			Proofs: []Proof{proof("ignore-watch-drops-defaults")}},
		{ID: "watcher-first-start", Version: v,
			Title: "The watcher is created only when the app first starts",
			Text: "Turning `watch` on or off in the file and running `pm2 restart <file>` changes the flag `pm2 jlist` shows, but starts " +
				"or stops no watcher: `pm2 delete` and `pm2 start` are needed.",
			Source:   []string{"lib/God.js:215-218"},
			Unproven: "no case toggles `watch` on a running app; the fact sheet we started from records a run"},

		// --- applying a changed file ---
		{ID: "restart-keeps-config", Version: v,
			Title: "`pm2 restart <name>` does not read the ecosystem file",
			Text: "`pm2 restart <name|id|all>` and `pm2 reload <name>` apply only command-line flags; the file is not read. " +
				"`--update-env` merges the **shell's** environment, not the file's. `--env <name>` without a file is an error " +
				"(`Using --env [env] without passing the ecosystem.config.js does not work`).",
			Source: []string{"lib/API.js:438-518", "lib/API.js:1587-1637"},
			Proofs: []Proof{proof("procedure-delete-start"), proof("ecosystem-file-deleted")}},
		{ID: "deleted-file-apps-keep-running", Version: v,
			Title: "Deleting an ecosystem file stops nothing",
			Text: "The daemon keeps every app it started, with the configuration it was started with, until `pm2 delete`; it does not " +
				"watch the file. Once the file is deleted its apps stay online and `pm2 restart <name>` still restarts them, while " +
				"the commands given the file (`pm2 start|reload|delete <file>`) print `[PM2][ERROR] File <file> not found`, " +
				"exit 1 and change nothing. Only `pm2 delete <name>` removes an app.",
			Source: []string{"lib/API.js:924-929", "lib/API.js:1202-1207", "lib/API.js:547"},
			Proofs: []Proof{proof("ecosystem-file-deleted")}},
		{ID: "file-commands-keep-removed-keys", Version: v,
			Title: "`pm2 start|restart|reload <file>` merge the file into running apps: removed keys stay",
			Text: "With a file, `start`, `restart`, `reload` and `startOrRestart`/`startOrReload` start the apps that are not running and " +
				"restart or reload the running ones with the file's configuration merged into the live one. Keys removed from the file " +
				"keep their old value, values the validator drops cannot reset anything, removed environment variables stay in the " +
				"process, `exec_mode`, the number of instances and `script` do not change, and watchers are not (re)created. Only " +
				"`pm2 delete <app> && pm2 start <file>` gives exactly the file's configuration.",
			Source: []string{"lib/API.js:1056-1076", "lib/Utility.js:33-43", "lib/Utility.js:65-76", "lib/Common.js:654 (exec_mode deleted)"},
			Proofs: []Proof{proof("procedure-delete-start")}},
		{ID: "cli-option-like-names", Version: v,
			Title: "An app name that starts with `-` (or is `log`, `startup`) is read as an option by the `pm2` command line",
			Text: "`pm2 restart -rf` fails with `unknown option '-r'` (commander splits `-rf` into `-r -f`; commander 2.15 keeps a value given to an option that takes one as it is), `pm2 restart --watch` with " +
				"`missing required argument`, and `pm2 start <file> --only log` starts nothing (the CLI rewrites the word `log` to " +
				"`logs` anywhere before `--`; `startup` and `unstartup` switch to the startup command). `--` does not help every " +
				"command: `pm2 restart -- -rf` exits 0 having restarted nothing (the CLI drops the words after `--`), and " +
				"`pm2 reload -- -rf` reloads the app but gives it `-rf` as its arguments. `pm2 start <file> --only --watch` starts " +
				"the app with watching on (PM2 looks for `--watch` among its raw arguments). What addresses such an app exactly: " +
				"`--only=<name>` (and `--env=<name>`); for `delete`, `restart`, `reload`, `stop` and `logs` a regular expression of " +
				"the name, `'/^-rf$/'`, which PM2 matches against app names (after deleting every `/`, so a `/` in the name is " +
				"written `\\x2f`); for `show`, `-- <name>`.",
			Source: []string{"lib/binaries/CLI.js:186-189", "lib/binaries/CLI.js:209-214", "lib/binaries/CLI.js:253-260",
				"lib/API.js:325", "lib/API.js:1468-1470", "lib/API.js:1598-1599", "lib/API/LogManagement.js:209-210"},
			Proofs: []Proof{proof("procedure-option-like-names")}},
		{ID: "numeric-names", Version: v,
			Title: "An app name that is a number is a process id once no app has that name",
			Text: "`delete`, `restart`, `reload`, `stop` take an argument for which JavaScript's `isNaN` is false (`2024`, `-1`, `1e3`, `0x1f`) " +
				"as an app name first, then as a namespace, then as a process id: `pm2 restart 1` restarts the app named `1`, not process 1, " +
				"but once no app is named `1` (not started yet, already deleted) `pm2 delete 1` deletes process 1, whatever app it is. " +
				"The regular expression `'/^1$/'` matches app names only (no app: `No process found`, exit 1). `pm2 show 1` describes both " +
				"process 1 and the app named `1`; `show` takes no regular expression, so no form of it describes the app alone.",
			Source: []string{"lib/API.js:1469", "lib/API.js:1492", "lib/API.js:1567-1580", "lib/API.js:1877-1878"},
			Proofs: []Proof{proof("procedure-option-like-names")}},
		{ID: "only-splits-names", Version: v,
			Title: "`--only` splits its value at commas and spaces: an app whose name has one cannot be selected",
			Text: "`pm2 start <file> --only <value>` starts the apps whose name is one of the words of the value split at every comma and every " +
				"space (`opts.only.split(/,| /)`): `--only 'my api'` starts the app `api` (and `my` if the file has one), never `my api`, and " +
				"`--only 'a,b'` starts `a` and `b`. No value selects an app whose name contains a comma or a space; what starts it is " +
				"`pm2 start <file>` without `--only`, which starts every app of the file (and restarts the running ones), or renaming the app. " +
				"`delete`, `restart`, `reload` take such a name as one argument: `pm2 delete 'my api'` and `pm2 delete '/^my api$/'` delete it.",
			Source: []string{"lib/API.js:989-993"},
			Proofs: []Proof{proof("procedure-option-like-names")}},

		// --- environments ---
		{ID: "env-name", Version: v,
			Title: "`--env <name>` merges `env_<name>`; a missing block is a warning, and the app starts without it",
			Text: "The app's environment is the pm2 CLI's whole environment, then `env`, then, with `--env <name>`, `env_<name>` " +
				"(`deploy.<name>.env` lowest). When `env_<name>` does not exist `pm2` prints `[PM2][WARN] Environment [<name>] is not " +
				"defined in process file` and starts the app with `env` only (`pm2-runtime` prints nothing). Variables set by an earlier " +
				"`--env` stay on later restarts without it. `port` sets `env.PORT`.",
			Source: []string{"lib/Common.js:154-185", "lib/Common.js:618-671", "lib/Common.js:123-125"},
			Proofs: []Proof{proof("env-name-not-defined")}},
	}
}
