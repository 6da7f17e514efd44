package rule

import (
	"cmp"
	"encoding/json"
	"github.com/auditbot/auditbot/audit/message"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/launcher"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// Documentation pages of PM2 that rules point to.
const (
	docsSignals     = "https://pm2.keymetrics.io/docs/usage/signals-clean-restart/"
	docsDeclaration = "https://pm2.keymetrics.io/docs/usage/application-declaration/"
	docsCluster     = "https://pm2.keymetrics.io/docs/usage/cluster-mode/"
	docsEnvironment = "https://pm2.keymetrics.io/docs/usage/environment/"
	docsMemory      = "https://pm2.keymetrics.io/docs/usage/memory-limit/"
	docsWatch       = "https://pm2.keymetrics.io/docs/usage/watch-and-restart/"
)

// proofDir is where the PM2 integration case backing a rule lives.
func proofDir(id string) string { return "audit/proof/testdata/" + id }

// option returns the app's field for a canonical PM2 option, whatever
// spelling it was written with (wait_ready, waitReady, interpreter for
// exec_interpreter...): the one PM2 reads (ecosystem.App.Option).
func option(a *ecosystem.App, canonical string) (ecosystem.Field, bool) {
	return a.Option(canonical)
}

// isTrue reports whether v is the boolean true. known is false when the
// value is dynamic.
func isTrue(v ecosystem.Value) (val, known bool) {
	switch v.Kind {
	case ecosystem.KindDynamic:
		return false, false
	case ecosystem.KindBool:
		return v.Bool, true
	}
	return false, true
}

// optionTrue reports whether the app sets a canonical boolean option to
// true, and whether that is statically known.
func optionTrue(a *ecosystem.App, canonical string) (val, known bool) {
	f, ok := option(a, canonical)
	if !ok {
		return false, true
	}
	return isTrue(f.Value)
}

// setTrue returns the app's canonical boolean option when it is written
// and statically true (wait_ready: true), and whether it is.
func setTrue(a *ecosystem.App, canonical string) (ecosystem.Field, bool) {
	f, ok := option(a, canonical)
	if !ok {
		return f, false
	}
	v, known := isTrue(f.Value)
	return f, v && known
}

// isFalsy reports whether v is a JavaScript falsy value (false, 0, "",
// null, undefined). Dynamic values are never reported falsy.
func isFalsy(v ecosystem.Value) bool {
	switch v.Kind {
	case ecosystem.KindBool:
		return !v.Bool
	case ecosystem.KindNumber:
		return v.Num == 0 || math.IsNaN(v.Num)
	case ecosystem.KindString:
		return v.Str == ""
	case ecosystem.KindNull, ecosystem.KindUndefined:
		return true
	}
	return false
}

// jsNumber converts a string the way JavaScript's Number() does for the
// cases PM2's validator meets (`!isNaN(value)` then parseFloat).
func jsNumber(s string) (float64, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, true
	}
	switch t {
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if len(t) > 2 && t[0] == '0' && strings.ContainsRune("xXoObB", rune(t[1])) {
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[t[1]]
		n, err := strconv.ParseInt(t[2:], base, 64)
		return float64(n), err == nil
	}
	if strings.ContainsAny(t, "_xXpP") || strings.EqualFold(t, "nan") || strings.Contains(strings.ToLower(t), "inf") {
		return 0, false
	}
	n, err := strconv.ParseFloat(t, 64)
	return n, err == nil
}

// numberOf returns v as a number when it is a number or a numeric string
// (PM2 accepts '5000' for number options, docs/pm2-behaviour.md#invalid-values-abort).
func numberOf(v ecosystem.Value) (float64, bool) {
	switch v.Kind {
	case ecosystem.KindNumber:
		return v.Num, true
	case ecosystem.KindString:
		if strings.TrimSpace(v.Str) == "" {
			return 0, false
		}
		return jsNumber(v.Str)
	}
	return 0, false
}

// stringOf returns v when it is a string.
func stringOf(v ecosystem.Value) (string, bool) {
	if v.Kind == ecosystem.KindString {
		return v.Str, true
	}
	return "", false
}

// formatNumber prints a number the way JavaScript does (50, 1.5, 1e+21).
func formatNumber(n float64) string { return ecosystem.FormatNumber(n) }

// display renders a value for a message: its source text when known, a
// JavaScript-like rendering otherwise. Secret values stay masked.
func display(v ecosystem.Value) string {
	if v.Source != "" {
		return v.Source
	}
	return render(v)
}

// render is a JavaScript-like rendering of a static value that ignores how
// it was written (quotes, numeric separators), so equal values compare
// equal. Dynamic and secret values render as their (masked) source.
func render(v ecosystem.Value) string {
	if v.Kind == ecosystem.KindDynamic || v.Secret {
		return v.Source
	}
	switch v.Kind {
	case ecosystem.KindString:
		b, _ := json.Marshal(v.Str)
		return "'" + strings.ReplaceAll(strings.Trim(string(b), `"`), `'`, `\'`) + "'"
	case ecosystem.KindNumber:
		return formatNumber(v.Num)
	case ecosystem.KindBool:
		return strconv.FormatBool(v.Bool)
	case ecosystem.KindNull:
		return "null"
	case ecosystem.KindUndefined:
		return "undefined"
	case ecosystem.KindArray:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = render(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ecosystem.KindObject:
		parts := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			parts[i] = f.Key + ": " + render(f.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "?"
}

// scriptOf returns the app's script as a message shows it (App.PM2).
func scriptOf(a *App) string { return a.PM2.ScriptText() }

// viaShell reports whether PM2 runs the script through `bash -c` (docs/pm2-behaviour.md#interpreter-by-extension).
func viaShell(a *App) bool { return a.PM2.ViaShell }

// interpreterOf returns the interpreter PM2 runs the app's script with in
// fork mode (docs/pm2-behaviour.md#interpreter-by-extension), and whether it is known (App.PM2).
func interpreterOf(a *App) (string, bool) { return a.PM2.Interpreter.Value, a.PM2.Interpreter.Known }

// scriptIsJS reports whether the script itself is JavaScript Node can
// require (what cluster mode loads, docs/pm2-behaviour.md#cluster-mode-node-only, docs/pm2-behaviour.md#implicit-cluster-mode), and whether it is known.
func scriptIsJS(a *App) (bool, bool) {
	if !a.PM2.Script.Known || a.PM2.Script.Value == "" {
		return false, false
	}
	if a.PM2.ViaShell {
		return false, true
	}
	return pm2.IsNode(pm2.Interpreter(a.PM2.Script.Value, false)), true
}

// clusterMode reports whether PM2 runs the app in cluster mode (docs/pm2-behaviour.md#fork-instances-no-port-sharing),
// and whether that is known: an instances value computed at run time is
// taken for a count (pm2.App.AssumedCluster).
func clusterMode(a *App) (cluster, known bool) { return a.PM2.AssumedCluster() }

// instancesOf returns the instance count (1 when unset; 0 = one per CPU,
// 'max' = 0), and whether it is known (App.PM2).
func instancesOf(a *App) (int, bool) { return a.PM2.Instances.Value, a.PM2.Instances.Known }

// scanOf returns the service's scan result, nil when not scanned.
func scanOf(a *App) *scan.Result {
	if a.Service == nil {
		return nil
	}
	return a.Service.Scan
}

// implementation returns the scan evidence of kind k that is the app's
// own code: in Context code, and also in Context test when PM2 runs a test
// or fixture file itself (the app's script is one, scan.IsTest), since the
// tests are then the app. Nil when the service was not scanned.
func implementation(a *App, k scan.Kind) []scan.Evidence {
	res := scanOf(a)
	if res == nil {
		return nil
	}
	tests := a.Service.ScriptPath != "" && scan.IsTest(res.Dir, a.Service.ScriptPath)
	var out []scan.Evidence
	for _, e := range res.Evidence {
		if e.Kind == k && (e.Context == scan.InCode || (tests && e.Context == scan.InTest)) {
			out = append(out, e)
		}
	}
	return out
}

// onlyInTests returns the scan evidence of kind k found in tests and
// fixtures and not counted by implementation.
func onlyInTests(a *App, k scan.Kind) []scan.Evidence {
	res := scanOf(a)
	if res == nil || (a.Service.ScriptPath != "" && scan.IsTest(res.Dir, a.Service.ScriptPath)) {
		return nil
	}
	var out []scan.Evidence
	for _, e := range res.Evidence {
		if e.Kind == k && e.Context == scan.InTest {
			out = append(out, e)
		}
	}
	return out
}

// handshakes returns the ready handshakes of the app's code that reach
// PM2 (docs/pm2-behaviour.md#wait-ready-message): process.send('ready') in any of its forms, and
// cluster.worker.send('ready') when PM2 runs the app in cluster mode,
// where the app is a cluster worker and cluster.worker.send is
// process.send (docs/pm2-behaviour.md#cluster-worker-ready), except those behind a guard that does not
// surely fire (guardFires). In path and line order.
func handshakes(a *App) []scan.Evidence {
	var out []scan.Evidence
	for _, e := range rawHandshakes(a) {
		if fires, decided := guardFires(a, e); fires && decided {
			out = append(out, e)
		}
	}
	return out
}

// rawHandshakes are the handshakes of handshakes, guards not decided.
func rawHandshakes(a *App) []scan.Evidence {
	hs := implementation(a, scan.Handshake)
	if cluster, known := clusterMode(a); cluster && known {
		hs = append(hs, implementation(a, scan.WorkerHandshake)...)
		slices.SortStableFunc(hs, func(x, y scan.Evidence) int {
			return cmp.Or(strings.Compare(x.Path, y.Path), cmp.Compare(x.Line, y.Line))
		})
	}
	return hs
}

// setCount sets args[key] = n when n is not zero. Catalog messages read
// such optional counts with `index . "key"`, which is nil when absent.
func setCount(args message.Args, key string, n int) {
	if n != 0 {
		args[key] = message.CountOf(n)
	}
}

// newFinding starts a finding of rule m on app a, citing the given config
// fields as evidence.
func newFinding(m Meta, a *App, line int, opt, key string, args message.Args, cite ...ecosystem.Field) Finding {
	if line <= 0 {
		line = a.App.Line
	}
	if line <= 0 {
		line = 1
	}
	if args == nil {
		args = message.Args{}
	}
	args["app"] = message.CodeOf(a.Name())
	fd := Finding{Rule: m.ID, Severity: m.Severity, Path: a.File.Path, Line: line, App: a.Name(),
		Option: opt, Key: key, Args: args}
	for _, f := range cite {
		fd.Evidence = append(fd.Evidence, fieldEvidence(a.File.Path, f))
	}
	return fd
}

// fieldEvidence cites one option of a config file: "key: value" at its line.
func fieldEvidence(p string, f ecosystem.Field) scan.Evidence {
	text := f.Key + ": " + display(f.Value)
	if len(text) > 200 {
		text = text[:197] + "..."
	}
	return configEvidence(p, f.Line, text)
}

// fileLine is the line a file-level finding points at: the export
// statement, else the apps array, else 1.
func fileLine(f *ecosystem.File) int {
	switch {
	case f.Module.ExportLine > 0:
		return f.Module.ExportLine
	case f.AppsLine > 0:
		return f.AppsLine
	}
	return 1
}

// configEvidence points at a line of a config file.
func configEvidence(p string, line int, text string) scan.Evidence {
	return scan.Evidence{Kind: kindConfig, Context: scan.InCode, Path: p, Line: line, Text: text}
}

// kindConfig marks evidence that is a line of a configuration file rather
// than something the source scan found.
const kindConfig scan.Kind = "config"

// nearestPackageType returns the "type" of the nearest package.json at or
// above dir in fsys ("" when none or unreadable), with that file's path
// and the line of its "type" key (1 when absent). Like node, it stops at
// the first package.json found.
func nearestPackageType(fsys fs.FS, dir string) (typ, file string, line int) {
	p, b := launcher.NearestPackage(fsys, dir)
	if p == "" {
		return "", "", 0
	}
	var pkg struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(b, &pkg) != nil {
		return "", p, 1
	}
	line = 1
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, `"type"`) {
			line = i + 1
			break
		}
	}
	return pkg.Type, p, line
}

// exportEvidence cites the export statement (or apps array) of a file.
func exportEvidence(f *ecosystem.File) scan.Evidence {
	text := "module.exports"
	switch {
	case f.Module.ExportDefault:
		text = "export default"
	case f.Module.ExportNamedApps:
		text = "export const apps"
	case !f.Module.ModuleExports:
		text = "apps"
	}
	return configEvidence(f.Path, fileLine(f), text)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func itoa(i int) string { return strconv.Itoa(i) }

// cite returns the app's fields for the given canonical options, in the
// order asked, skipping absent ones.
func cite(a *ecosystem.App, canonical ...string) []ecosystem.Field {
	var out []ecosystem.Field
	for _, c := range canonical {
		if f, ok := option(a, c); ok {
			out = append(out, f)
		}
	}
	return out
}

// timeoutOption is how PM2 reads listen_timeout and kill_timeout:
// `value || default` (docs/pm2-behaviour.md#wait-ready-timeout, docs/pm2-behaviour.md#kill-signal), so 0, absent or unreadable means def.
// set says whether the file gives a usable value.
func timeoutOption(a *App, key string, def int) (ms int, set bool) {
	f, ok := option(a.App, key)
	if !ok {
		return def, false
	}
	n, ok := numberOf(f.Value)
	if !ok || !(n > 0) {
		return def, false // 0 and NaN: PM2's `value || default`
	}
	if n > math.MaxInt32 {
		// Node's timers: "When delay is larger than 2147483647 ... the
		// delay will be set to 1" (setTimeout docs): Infinity is 1 ms.
		return 1, true
	}
	return int(n), true
}
