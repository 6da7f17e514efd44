package pm2

import (
	"math"
	"slices"
	"testing"
)

// kv is one key an app writes.
type kv struct {
	key string
	v   Value
}

func s(x string) Value  { return Value{Kind: String, Str: x, Source: "'" + x + "'"} }
func n(x float64) Value { return Value{Kind: Number, Num: x} }
func dyn(src string) Value {
	return Value{Kind: Dynamic, Source: src}
}

// resolveKeys folds the keys as written (Pick) and resolves the app.
func resolveKeys(host Host, fields ...kv) App {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	opts := Options{}
	for c, i := range Default().Pick(keys, func(i int) (bool, bool) { return fields[i].v.Truthy() }) {
		opts[c] = fields[i].v
	}
	for _, f := range fields {
		if f.key == Spread {
			opts[Spread] = f.v
		}
	}
	return Resolve(opts, host)
}

// known and unknown build expected Resolved values.
func known[T any](v T, set bool) Resolved[T] { return Resolved[T]{Value: v, Set: set, Known: true} }
func unknown[T any]() Resolved[T]            { return Resolved[T]{Set: true} }

// TestResolve follows PM2 7's reading of an app (verifyConfs,
// validateJSON, resolveInterpreter, determineExecMode): aliases, the
// interpreter by extension, exec mode explicit or implied by instances,
// 'max' and string instances, and unknown values that stay unknown.
func TestResolve(t *testing.T) {
	for _, c := range []struct {
		name   string
		host   Host
		fields []kv
		interp Resolved[string]
		mode   Resolved[Mode]
		inst   Resolved[int]
		shell  bool
	}{
		{name: "plain node script, fork, one instance", fields: []kv{{"script", s("index.js")}},
			interp: known("node", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "instances 1 without exec_mode is cluster", fields: []kv{{"script", s("index.js")}, {"instances", n(1)}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(1, true)},
		{name: "instances 'max' is 0, cluster", fields: []kv{{"script", s("index.js")}, {"instances", s("max")}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(0, true)},
		{name: "instances 0 is cluster", fields: []kv{{"script", s("index.js")}, {"instances", n(0)}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(0, true)},
		{name: "instances -1 is cluster", fields: []kv{{"script", s("index.js")}, {"instances", n(-1)}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(-1, true)},
		{name: "instances -2 stays fork", fields: []kv{{"script", s("index.js")}, {"instances", n(-2)}},
			interp: known("node", false), mode: known(Fork, false), inst: known(-2, true)},
		{name: "instances '2' as a string is 2", fields: []kv{{"script", s("index.js")}, {"instances", s("2")}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(2, true)},
		{name: "instances '3 workers' is parseInt's 3", fields: []kv{{"script", s("index.js")}, {"instances", s(" 3 workers")}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(3, true)},
		{name: "instances 'all' is parseInt's NaN || 0", fields: []kv{{"script", s("index.js")}, {"instances", s("all")}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(0, true)},
		{name: "instances null is dropped by the validator", fields: []kv{{"script", s("index.js")}, {"instances", Value{Kind: Null}}},
			interp: known("node", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "instances NaN is no count", fields: []kv{{"script", s("index.js")}, {"instances", n(math.NaN())}},
			interp: known("node", false), mode: Resolved[Mode]{}, inst: unknown[int]()},
		{name: "instances 0.5: fork (0.5 >= 1 is false), count parseInt's 0", fields: []kv{{"script", s("index.js")}, {"instances", n(0.5)}},
			interp: known("node", false), mode: known(Fork, false), inst: known(0, true)},
		{name: "instances 2.9 is 2 processes, cluster", fields: []kv{{"script", s("index.js")}, {"instances", n(2.9)}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(2, true)},
		{name: "exec_mode cluster_mode", fields: []kv{{"script", s("index.js")}, {"exec_mode", s("cluster_mode")}},
			interp: known("node", false), mode: known(Cluster, true), inst: known(1, false)},
		{name: "exec_mode fork with instances", fields: []kv{{"script", s("index.js")}, {"exec_mode", s("fork")}, {"instances", n(4)}},
			interp: known("node", false), mode: known(Fork, true), inst: known(4, true)},
		{name: "execMode camelCase", fields: []kv{{"script", s("index.js")}, {"execMode", s("cluster")}},
			interp: known("node", false), mode: known(Cluster, true), inst: known(1, false)},
		{name: "empty exec_mode is dropped: instances decide", fields: []kv{{"script", s("index.js")}, {"exec_mode", s("")}, {"instances", n(2)}},
			interp: known("node", false), mode: known(Cluster, false), inst: known(2, true)},
		{name: "invalid exec_mode: PM2 refuses the file", fields: []kv{{"script", s("index.js")}, {"exec_mode", s("Cluster")}},
			interp: known("node", false), mode: unknown[Mode](), inst: known(1, false)},
		{name: "interpreter none stays fork", fields: []kv{{"script", s("index.js")}, {"interpreter", s("none")}, {"instances", n(2)}},
			interp: known("none", true), mode: known(Fork, false), inst: known(2, true)},
		{name: ".sh runs with bash, fork", fields: []kv{{"script", s("./run.sh")}, {"instances", n(2)}},
			interp: known("bash", false), mode: known(Fork, false), inst: known(2, true)},
		{name: ".py runs with python", fields: []kv{{"script", s("app.py")}},
			interp: known("python", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "script with spaces runs through bash -c", fields: []kv{{"script", s("npm run start")}, {"instances", n(2)}},
			interp: known("none", false), mode: known(Fork, false), inst: known(2, true), shell: true},
		{name: "bun interpreter implies cluster", fields: []kv{{"script", s("index.js")}, {"interpreter", s("/usr/local/bin/bun")}, {"instances", n(2)}},
			interp: known("/usr/local/bin/bun", true), mode: known(Cluster, false), inst: known(2, true)},
		{name: "interpreter nodejs: determineExecMode's /node$/ fails, fork", fields: []kv{{"script", s("index.js")}, {"interpreter", s("/usr/bin/nodejs")}, {"instances", n(2)}},
			interp: known("/usr/bin/nodejs", true), mode: known(Fork, false), inst: known(2, true)},
		{name: "interpreter ending in node: cluster", fields: []kv{{"script", s("index.js")}, {"interpreter", s("/opt/node20/bin/node")}, {"instances", n(2)}},
			interp: known("/opt/node20/bin/node", true), mode: known(Cluster, false), inst: known(2, true)},
		{name: "a spread known only at run time: unwritten options unknown", fields: []kv{{"script", s("index.js")}, {"instances", n(2)}, {Spread, dyn("defaults()")}},
			interp: unknown[string](), mode: unknown[Mode](), inst: known(2, true)},
		{name: ".ts runs with bun", fields: []kv{{"script", s("server.ts")}, {"instances", s("max")}},
			interp: known("bun", false), mode: known(Cluster, false), inst: known(0, true)},
		{name: "binary without extension runs directly", host: Host{ScriptBinary: true}, fields: []kv{{"script", s("bin/server")}, {"instances", n(2)}},
			interp: known("none", false), mode: known(Fork, false), inst: known(2, true)},
		{name: "text file without extension runs with node", fields: []kv{{"script", s("bin/www")}},
			interp: known("node", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "exec is script", fields: []kv{{"exec", s("app.py")}},
			interp: known("python", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "exec with a space is a path, not bash -c", fields: []kv{{"exec", Value{Kind: String, Str: "node app.js", Key: "exec"}}},
			interp: known("node", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "cmd with a space runs through bash -c", fields: []kv{{"cmd", Value{Kind: String, Str: "node app.js", Key: "cmd"}}},
			interp: known("none", false), mode: known(Fork, false), inst: known(1, false), shell: true},
		{name: "cmd is script", fields: []kv{{"cmd", s("worker.sh")}},
			interp: known("bash", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "script wins over cmd", fields: []kv{{"cmd", s("worker.sh")}, {"script", s("index.js")}},
			interp: known("node", false), mode: known(Fork, false), inst: known(1, false)},
		{name: "exec_interpreter wins over interpreter", fields: []kv{{"script", s("a.js")}, {"interpreter", s("python3")}, {"exec_interpreter", s("node")}},
			interp: known("node", true), mode: known(Fork, false), inst: known(1, false)},
		{name: "an empty exec_interpreter gives way to interpreter", fields: []kv{{"script", s("a.js")}, {"exec_interpreter", s("")}, {"interpreter", s("python3")}, {"instances", n(2)}},
			interp: known("python3", true), mode: known(Fork, false), inst: known(2, true)},
		{name: "a key written twice: the last one", fields: []kv{{"script", s("a.js")}, {"instances", n(2)}, {"instances", n(-5)}},
			interp: known("node", false), mode: known(Fork, false), inst: known(-5, true)},
		{name: "dynamic instances: count and mode unknown", fields: []kv{{"script", s("index.js")}, {"instances", dyn("os.cpus().length")}},
			interp: known("node", false), mode: Resolved[Mode]{}, inst: unknown[int]()},
		{name: "dynamic exec_mode: mode unknown", fields: []kv{{"script", s("index.js")}, {"exec_mode", dyn("process.env.MODE")}},
			interp: known("node", false), mode: unknown[Mode](), inst: known(1, false)},
		{name: "dynamic interpreter: interpreter and implied mode unknown", fields: []kv{{"script", s("index.js")}, {"interpreter", dyn("process.env.NODE")}, {"instances", n(2)}},
			interp: unknown[string](), mode: Resolved[Mode]{}, inst: known(2, true)},
		{name: "dynamic script: interpreter unknown", fields: []kv{{"script", dyn("process.env.ENTRY")}},
			interp: Resolved[string]{}, mode: known(Fork, false), inst: known(1, false)},
		{name: "dynamic script, explicit interpreter", fields: []kv{{"script", dyn("process.env.ENTRY")}, {"interpreter", s("node")}, {"instances", n(2)}},
			interp: known("node", true), mode: known(Cluster, false), inst: known(2, true)},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := resolveKeys(c.host, c.fields...)
			if got := strip(a.Interpreter); got != c.interp {
				t.Errorf("Interpreter = %+v, want %+v", got, c.interp)
			}
			if got := strip(a.Mode); got != c.mode {
				t.Errorf("Mode = %+v, want %+v", got, c.mode)
			}
			if got := strip(a.Instances); got != c.inst {
				t.Errorf("Instances = %+v, want %+v", got, c.inst)
			}
			if a.ViaShell != c.shell {
				t.Errorf("ViaShell = %v, want %v", a.ViaShell, c.shell)
			}
		})
	}
}

// strip drops Source, which the table does not spell out.
func strip[T comparable](r Resolved[T]) Resolved[T] { r.Source = ""; return r }

// TestAssumedCluster: an instances value computed at run time is taken
// for a count (cluster with a Node interpreter), never an unknown
// exec_mode or interpreter.
func TestAssumedCluster(t *testing.T) {
	for _, c := range []struct {
		name          string
		fields        []kv
		cluster, know bool
	}{
		{"dynamic instances, node", []kv{{"script", s("index.js")}, {"instances", dyn("os.cpus().length")}}, true, true},
		{"dynamic instances, bash", []kv{{"script", s("run.sh")}, {"instances", dyn("os.cpus().length")}}, false, true},
		{"dynamic instances, explicit fork", []kv{{"script", s("index.js")}, {"exec_mode", s("fork")}, {"instances", dyn("n")}}, false, true},
		{"dynamic exec_mode", []kv{{"script", s("index.js")}, {"exec_mode", dyn("m")}, {"instances", n(2)}}, false, false},
		{"dynamic interpreter", []kv{{"script", s("index.js")}, {"interpreter", dyn("i")}, {"instances", dyn("n")}}, false, false},
	} {
		cluster, know := resolveKeys(Host{}, c.fields...).AssumedCluster()
		if cluster != c.cluster || know != c.know {
			t.Errorf("%s: AssumedCluster() = %v, %v; want %v, %v", c.name, cluster, know, c.cluster, c.know)
		}
	}
}

// TestResolveNameCwdArgs: the default name is the script's base name up
// to its last dot; node_args and its aliases, a string split as PM2's
// validator splits it.
func TestResolveNameCwdArgs(t *testing.T) {
	a := resolveKeys(Host{}, kv{"script", s("dist/server.min.js")}, kv{"cwd", s("/srv/app")},
		kv{"interpreter_args", s(`--max-old-space-size=512 --title="a b" -r 'dotenv/config'`)})
	if a.Name != known("server.min", false) {
		t.Errorf("Name = %+v, want server.min (PM2's default)", a.Name)
	}
	if a.Cwd.Value != "/srv/app" || !a.Cwd.Set || !a.Cwd.Known {
		t.Errorf("Cwd = %+v", a.Cwd)
	}
	if want := []string{"--max-old-space-size=512", `--title="a b"`, "-r", "dotenv/config"}; !slices.Equal(a.NodeArgs.Value, want) || !a.NodeArgs.Known {
		t.Errorf("NodeArgs = %+v, want %q", a.NodeArgs, want)
	}
	b := resolveKeys(Host{}, kv{"name", s("api")}, kv{"script", s("a.js")}, kv{"nodeArgs", Value{Kind: Array, Items: []Value{s("--inspect"), dyn("flag")}}})
	if b.Name.Value != "api" || !b.NodeArgs.Set || b.NodeArgs.Known {
		t.Errorf("Name = %+v, NodeArgs = %+v; want api and unknown node_args", b.Name, b.NodeArgs)
	}
}

// TestPick: PM2's order of spellings (lib/tools/Config.js), the first
// truthy value winning, a value computed at run time kept.
func TestPick(t *testing.T) {
	sch := Default()
	for _, c := range []struct {
		keys   []string
		truthy []bool
		want   map[string]int
	}{
		{[]string{"interpreter", "exec_interpreter"}, []bool{true, true}, map[string]int{"exec_interpreter": 1}},
		{[]string{"exec_interpreter", "interpreter"}, []bool{false, true}, map[string]int{"exec_interpreter": 1}},
		{[]string{"nodeArgs", "interpreterArgs", "interpreter_args"}, []bool{true, true, true}, map[string]int{"node_args": 2}},
		{[]string{"waitReady", "wait_ready"}, []bool{true, false}, map[string]int{"wait_ready": 0}},
		{[]string{"wait_ready"}, []bool{false}, map[string]int{"wait_ready": 0}},
		{[]string{"exec", "command", "cmd"}, []bool{true, true, true}, map[string]int{"script": 2}},
		{[]string{"kill_signal", "env_production"}, []bool{true, true}, map[string]int{"env_production": 1}},
	} {
		got := sch.Pick(c.keys, func(i int) (bool, bool) { return c.truthy[i], true })
		if len(got) != len(c.want) {
			t.Errorf("Pick(%q) = %v, want %v", c.keys, got, c.want)
			continue
		}
		for k, i := range c.want {
			if got[k] != i {
				t.Errorf("Pick(%q)[%s] = %d, want %d", c.keys, k, got[k], i)
			}
		}
	}
}

// TestParseInt is JavaScript's parseInt for the strings instances meets.
func TestParseInt(t *testing.T) {
	for in, want := range map[string]float64{"2": 2, " 3x": 3, "-1": -1, "+4": 4, "0x10": 16, "2.9": 2} {
		if got, ok := parseInt(in); !ok || got != want {
			t.Errorf("parseInt(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "max", "x2", "-", "0x"} {
		if _, ok := parseInt(in); ok {
			t.Errorf("parseInt(%q) is a number, want NaN", in)
		}
	}
}
