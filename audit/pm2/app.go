package pm2

import (
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// ValueKind is the JavaScript type of an option's value, as far as
// resolving an app needs it.
type ValueKind uint8

// Value kinds. Dynamic is a value computed when PM2 loads the file (a
// function call, process.env without a default): unknown here.
const (
	Undefined ValueKind = iota
	String
	Number
	Boolean
	Null
	Array
	Object
	Dynamic
)

// Value is one option's value as an ecosystem file writes it.
type Value struct {
	Kind  ValueKind
	Str   string  // String
	Num   float64 // Number
	Bool  bool    // Boolean
	Items []Value // Array
	// Source is the value as written (the expression of a Dynamic
	// value); it is what a report shows.
	Source string
	// Key is the spelling the app writes the option with (exec for
	// script), "" when not said.
	Key string
}

// Truthy reports whether JavaScript reads v as true, and whether that is
// known (a Dynamic value's is not).
func (v Value) Truthy() (truthy, known bool) {
	switch v.Kind {
	case Dynamic:
		return false, false
	case String:
		return v.Str != "", true
	case Number:
		return v.Num != 0 && !math.IsNaN(v.Num), true
	case Boolean:
		return v.Bool, true
	case Array, Object:
		return true, true
	}
	return false, true
}

// Spread is the key of Options that says the app spreads an object
// known only at run time (`...base()`) after the options it writes last:
// any option it does not write after it may be there, so none is
// known. Its value is the spread's expression.
const Spread = "..."

// Options are an app's options by canonical schema key (Schema.Pick
// chooses, for each key, the spelling PM2 reads). Values PM2's validator
// drops (null, undefined) may be present: Resolve ignores them as PM2
// does.
type Options map[string]Value

// Host is what resolving an app needs beyond its options: facts about
// the files on the machine that runs PM2.
type Host struct {
	// ScriptBinary says the script is a binary file (git's test, a NUL
	// byte in its first 8000 bytes). PM2 runs a binary whose extension
	// it does not know directly (interpreter none), a text file with
	// node. False when unknown.
	ScriptBinary bool
}

// Mode is PM2's exec mode.
type Mode string

// Exec modes, as PM2 names them once resolved (fork_mode, cluster_mode).
const (
	Fork    Mode = "fork"
	Cluster Mode = "cluster"
)

// Resolved is one thing PM2 derives for an app from its options.
type Resolved[T any] struct {
	// Value is what PM2 uses: the app's value, or PM2's default when the
	// app does not set the option. It is the zero value when not Known.
	Value T
	// Set says the app writes the option (under any spelling) with a
	// value PM2 keeps; false means PM2's default applies.
	Set bool
	// Known says Value is what PM2 uses. It is false when the value is
	// computed at run time, or when it depends on such a value: an
	// unknown value is never replaced by a default.
	Known bool
	// Source is the option's value as written ("" when not Set).
	Source string
}

// App is one app of an ecosystem file as PM2 7 resolves it
// (lib/Common.js verifyConfs and prepareAppConf, lib/tools/Config.js
// validateJSON): the one reading of an app's options that rules, the
// engine and the report share.
type App struct {
	// Name is the app's name; without one, PM2 names it after its script
	// (the file's base name up to its last dot).
	Name Resolved[string]
	// Script is the script as written (script, exec, cmd or command).
	// Known only for a string.
	Script Resolved[string]
	// ViaShell says PM2 runs the script through `bash -c "<script>"`
	// because it contains a space (docs/pm2-behaviour.md#interpreter-by-extension);
	// not when written as exec.
	ViaShell bool
	// Interpreter is what PM2 runs the script with: the app's
	// interpreter (Set), else the one of the script's extension, "none"
	// for a script run through bash -c or a binary, node for other text
	// files (docs/pm2-behaviour.md#interpreter-by-extension).
	Interpreter Resolved[string]
	// Mode is fork or cluster (docs/pm2-behaviour.md#implicit-cluster-mode).
	// Set means exec_mode is written with a value PM2 accepts.
	Mode Resolved[Mode]
	// Instances is the instance count: 1 when not set; 0 is one per CPU
	// ('max' and strings PM2's parseInt cannot read are 0 too), -1 is
	// CPUs minus one.
	Instances Resolved[int]
	// Cwd is the working directory as written ("" when not set: the
	// directory of the shell that runs pm2,
	// docs/pm2-behaviour.md#relative-paths).
	Cwd Resolved[string]
	// NodeArgs are the interpreter's arguments (node_args,
	// interpreter_args), a string split as PM2 splits it.
	NodeArgs Resolved[[]string]
}

// Resolve resolves an app from its options (keys canonical, as
// Schema.Pick gives them) the way PM2 7 does.
func Resolve(opts Options, host Host) App {
	if sp, ok := opts[Spread]; ok {
		// Every option not written after the spread is unknown.
		full := Options{}
		for _, k := range []string{"script", "name", "cwd", "exec_interpreter", "instances", "exec_mode", "node_args"} {
			full[k] = sp
		}
		for k, v := range opts {
			if k != Spread {
				full[k] = v
			}
		}
		opts = full
	}
	var a App
	a.Script = resolveString(opts["script"])
	// verifyConfs runs a script with a space through bash -c before the
	// validator folds exec into script: exec: 'node app.js' is a path
	// (Script not found), script, cmd and command are run by bash.
	if a.Script.Known && opts["script"].Key != "exec" {
		a.ViaShell = ViaShell(a.Script.Value)
	}
	a.Name = resolveString(opts["name"])
	if !a.Name.Set && a.Script.Known {
		// Common.renderApplicationName.
		n := path.Base(strings.ReplaceAll(a.Script.Value, `\`, "/"))
		if i := strings.LastIndex(n, "."); i > 0 {
			n = n[:i]
		}
		if a.Script.Value == "" {
			n = ""
		}
		a.Name = Resolved[string]{Value: n, Known: true}
	}
	a.Cwd = resolveString(opts["cwd"])
	if !a.Cwd.Set {
		a.Cwd.Known = true
	}
	a.Interpreter = resolveInterpreter(opts["exec_interpreter"], a.Script, a.ViaShell, host)
	a.Instances = resolveInstances(opts["instances"])
	a.Mode = resolveMode(opts["exec_mode"], opts["instances"], a.Instances, a.Interpreter, a.ViaShell)
	a.NodeArgs = resolveArgs(opts["node_args"])
	return a
}

// dropped reports whether PM2's validator drops the value, as if the
// option were not written (null or undefined).
func dropped(v Value) bool { return v.Kind == Undefined || v.Kind == Null }

// resolveString reads an option whose schema type is string. A value of
// another type is refused by PM2's validator (the config does not load):
// not Known.
func resolveString(v Value) Resolved[string] {
	if dropped(v) {
		return Resolved[string]{}
	}
	r := Resolved[string]{Set: true, Source: v.Source}
	if v.Kind == String {
		r.Value, r.Known = v.Str, true
	}
	return r
}

// resolveInterpreter follows Common.sink.resolveInterpreter: an explicit
// interpreter wins; without one (or an empty one) the script's extension
// decides. A script with a space runs through bash -c, which PM2 starts
// with interpreter none.
func resolveInterpreter(v Value, script Resolved[string], viaShell bool, host Host) Resolved[string] {
	if !dropped(v) && !(v.Kind == String && v.Str == "") {
		r := Resolved[string]{Set: true, Source: v.Source}
		if v.Kind == String {
			r.Value, r.Known = v.Str, true
		}
		return r
	}
	if !script.Known {
		return Resolved[string]{}
	}
	if viaShell {
		return Resolved[string]{Value: "none", Known: true}
	}
	return Resolved[string]{Value: byExtension(script.Value, host.ScriptBinary), Known: true}
}

// resolveInstances follows verifyConfs: 'max' is 0, another string is
// parseInt(value) || 0; a number is truncated, as lib/God.js's
// parseInt(env.instances) counts the processes. A value of another
// type is refused by the validator, and a number that is not finite is
// no count: not Known.
func resolveInstances(v Value) Resolved[int] {
	if dropped(v) {
		return Resolved[int]{Value: 1, Known: true}
	}
	r := Resolved[int]{Set: true, Source: v.Source}
	switch v.Kind {
	case String:
		n, ok := parseInt(v.Str)
		switch {
		case v.Str == "max" || !ok:
			r.Value, r.Known = 0, true
		case n >= math.MinInt32 && n <= math.MaxInt32:
			r.Value, r.Known = int(n), true
		}
	case Number:
		if n := v.Num; n >= math.MinInt32 && n <= math.MaxInt32 {
			r.Value, r.Known = int(n), true
		}
	}
	return r
}

// execModeRe is the schema's check of exec_mode.
var execModeRe = regexp.MustCompile(`^(cluster|fork)(_mode)?$`)

// resolveMode follows Common.sink.determineExecMode: a valid exec_mode
// wins; without one, instances >= -1 (InstancesImplyCluster) with a
// Node interpreter means cluster. An empty exec_mode is dropped by the
// validator; an invalid one makes PM2 refuse the file (not Known).
func resolveMode(v, rawInstances Value, instances Resolved[int], interp Resolved[string], viaShell bool) Resolved[Mode] {
	if !dropped(v) && !(v.Kind == String && v.Str == "") {
		r := Resolved[Mode]{Set: true, Source: v.Source}
		if v.Kind == String && execModeRe.MatchString(v.Str) {
			r.Value, r.Known = Fork, true
			if strings.HasPrefix(v.Str, "cluster") {
				r.Value = Cluster
			}
		}
		return r
	}
	if !instances.Set {
		return Resolved[Mode]{Value: Fork, Known: true}
	}
	if !interp.Known || !instances.Known {
		return Resolved[Mode]{}
	}
	implied := InstancesImplyCluster(instances.Value)
	if rawInstances.Kind == Number {
		// The test runs on the number as written; the count is
		// parseInt's later (lib/God.js): instances 0.5 is fork mode
		// with 0, one process per CPU.
		n := rawInstances.Num
		implied = n >= 1 || n == 0 || n == -1
	}
	if implied && !viaShell && clusterInterpreter(interp.Value) {
		return Resolved[Mode]{Value: Cluster, Known: true}
	}
	return Resolved[Mode]{Value: Fork, Known: true}
}

// clusterInterpreter is determineExecMode's test of the interpreter
// (lib/Common.js:346-351): its base name is node or bun, or ends with
// one of them (/usr/local/bin/node, mynode). nodejs, Debian's name for
// node, is not matched: such an app stays in fork mode, though it runs
// node (IsNode).
func clusterInterpreter(interp string) bool {
	base := path.Base(interp)
	return strings.HasSuffix(base, "node") || strings.HasSuffix(base, "bun")
}

// argsRe is how PM2's validator splits a string given for an option
// whose first type is array (node_args): words, quoted words and
// key="value" pairs (lib/tools/Config.js _valid).
var argsRe = regexp.MustCompile(`[^\s"'=]+="[^"]*"|[^\s"'=]+='[^']*'|"([^"]*)"|'([^']*)'|\S+`)

// resolveArgs reads node_args: an array of strings, or a string PM2
// splits into one. Anything else is refused by the validator.
func resolveArgs(v Value) Resolved[[]string] {
	if dropped(v) {
		return Resolved[[]string]{Known: true}
	}
	r := Resolved[[]string]{Set: true, Source: v.Source}
	switch v.Kind {
	case String:
		var out []string
		for _, w := range argsRe.FindAllString(v.Str, -1) {
			if len(w) >= 2 && (w[0] == '"' && w[len(w)-1] == '"' || w[0] == '\'' && w[len(w)-1] == '\'') {
				w = w[1 : len(w)-1]
			}
			if strings.TrimSpace(w) != "" {
				out = append(out, w)
			}
		}
		r.Value, r.Known = out, true
	case Array:
		out := make([]string, 0, len(v.Items))
		for _, it := range v.Items {
			if it.Kind != String {
				return Resolved[[]string]{Set: true, Source: v.Source}
			}
			out = append(out, it.Str)
		}
		r.Value, r.Known = out, true
	}
	return r
}

// parseInt is JavaScript's parseInt(s) for PM2's use: leading white
// space, a sign, a 0x prefix for hexadecimal, then the longest run of
// digits. ok is false where JavaScript gives NaN.
func parseInt(s string) (float64, bool) {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	base := 10
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		base, s = 16, s[2:]
	}
	end := 0
	for end < len(s) {
		if _, err := strconv.ParseUint(s[end:end+1], base, 8); err != nil {
			break
		}
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(s[:end], base, 64)
	f := float64(n)
	if err != nil {
		f = math.Inf(1)
	}
	if neg {
		f = -f
	}
	return f, true
}

// ClusterMode reports whether PM2 runs the app in cluster mode, and
// whether that is known.
func (a App) ClusterMode() (cluster, known bool) {
	return a.Mode.Value == Cluster, a.Mode.Known
}

// AssumedCluster is ClusterMode for checks that take an instances value
// computed at run time (os.cpus().length, a parsed variable) for a count
// of processes: PM2 puts every count >= -1 in cluster mode without
// exec_mode for a Node interpreter, so only NaN or a count below -1
// would run in fork mode. Known stays false when exec_mode or the
// interpreter is computed at run time.
func (a App) AssumedCluster() (cluster, known bool) {
	if a.Mode.Known || a.Mode.Set || !a.Instances.Set || a.Instances.Known || !a.Interpreter.Known {
		return a.ClusterMode()
	}
	return !a.ViaShell && clusterInterpreter(a.Interpreter.Value), true
}

// ScriptText is the script as a report shows it: its value, or the
// expression that computes it.
func (a App) ScriptText() string {
	if a.Script.Known {
		return a.Script.Value
	}
	return a.Script.Source
}

// PackageManager is the package manager the app's script runs (npm,
// yarn, pnpm), "" when none or unknown (PackageManager).
func (a App) PackageManager() string {
	if !a.Script.Known {
		return ""
	}
	return PackageManager(a.Script.Value)
}
