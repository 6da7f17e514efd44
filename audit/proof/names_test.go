package proof

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/report"
)

// --- app names PM2's command line reads as options -------------------------

// proveProcedureOptionLikeNames renders the report of a change to apps named
// `-rf`, `--watch`, `log`, `-gone` and `--old` and runs the commands the
// report writes, as written, with bash on a real PM2 that runs the old
// configuration; then it shows what the plain forms would have done
// (docs/pm2-behaviour.md#cli-option-like-names).
func proveProcedureOptionLikeNames(t *testing.T, p *pm2Install) {
	const rule = "procedure-option-like-names"
	doc := auditCase(t, caseRepo(t, filepath.Join("testdata", rule, "before"), filepath.Join("testdata", rule, "after")))
	var buf bytes.Buffer
	if err := report.Markdown(&buf, doc, report.Options{Lang: "en", Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	steps := procedureScripts(t, buf.String())
	var deleteOld string
	for _, f := range doc.Findings {
		if f.Rule == "ecosystem-file-deleted" {
			deleteOld = f.Message.Args["commands"].Str
		}
	}
	if deleteOld == "" {
		t.Fatalf("no ecosystem-file-deleted finding with commands for ecosystem.legacy.config.js; findings: %s", ruleList(doc))
	}

	d := p.newDaemon(t)
	dir := stage(t, rule, "before")
	d.mustRun(dir, "start", "ecosystem.config.js")
	d.mustRun(dir, "start", "ecosystem.legacy.config.js")
	all := []string{"-rf", "--watch", "log", "-gone", "api", "--old"}
	d.waitFor("every app online", 30*time.Second, func(l []proc) bool { return onlineNames(l, all...) })
	before := map[string]proc{}
	for _, pr := range d.jlist() {
		before[pr.Name] = pr
	}

	// The change reaches the server: the work tree becomes after/.
	for _, f := range []string{"gone.js", "old.js", "ecosystem.legacy.config.js"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	copyOver(t, filepath.Join("testdata", rule, "after"), dir)

	for _, s := range steps {
		if r := d.bash(dir, s); r.code != 0 {
			t.Fatalf("the report's procedure failed:\n%s\n%s", s, r)
		}
	}
	after := map[string]proc{}
	for _, pr := range d.jlist() {
		after[pr.Name] = pr
	}
	if !onlineNames(d.jlist(), "-rf", "--watch", "log", "api") {
		t.Fatalf("after the procedure: %v, want -rf, --watch, log and api online", names(d.jlist()))
	}
	for _, gone := range []string{"-gone", "--old"} {
		if _, ok := after[gone]; ok {
			t.Errorf("after the procedure %s is still in pm2's list; its `pm2 delete` did not address it", gone)
		}
	}
	if env, _ := after["-rf"].Env["env"].(map[string]any); env["STAGE"] != "after" {
		t.Errorf("-rf after `pm2 delete` + `pm2 start --only`: STAGE=%v, want after (the file's new env)", env["STAGE"])
	}
	for _, n := range []string{"--watch", "log", "api"} {
		b, _ := before[n].num("restart_time")
		a, _ := after[n].num("restart_time")
		if a != b+1 {
			t.Errorf("%s: restart_time %v -> %v, want one restart by the procedure", n, b, a)
		}
	}
	for n, pr := range after {
		if args, _ := pr.Env["args"].([]any); len(args) > 0 {
			t.Errorf("%s runs with arguments %v: the procedure gave it its own name as arguments", n, args)
		}
		if w, _ := pr.Env["watch"].(bool); w {
			t.Errorf("%s is watched: the procedure turned watching on", n)
		}
	}

	// The deleted file's finding: its command stops the app it names.
	d.mustRun(stage(t, rule, "before"), "start", "ecosystem.legacy.config.js")
	d.waitFor("--old online", 30*time.Second, func(l []proc) bool { return onlineNames(l, "--old") })
	if r := d.bash(dir, deleteOld); r.code != 0 {
		t.Fatalf("the finding's command failed:\n%s\n%s", deleteOld, r)
	}
	if slices.ContainsFunc(d.jlist(), func(pr proc) bool { return pr.Name == "--old" }) {
		t.Errorf("%q left --old running", deleteOld)
	}

	// What the plain forms do.
	if r := d.run(dir, "restart", "-rf"); r.code == 0 || !strings.Contains(r.out, "unknown option") {
		t.Errorf("pm2 restart -rf: want an unknown-option error, got %s", r)
	}
	rt := func(name string) float64 { v, _ := d.one(name).num("restart_time"); return v }
	n := rt("-rf")
	if r := d.run(dir, "restart", "--", "-rf"); r.code != 0 || rt("-rf") != n {
		t.Errorf("pm2 restart -- -rf: want exit 0 and no restart (restart_time %v -> %v), got %s", n, rt("-rf"), r)
	}
	d.mustRun(dir, "reload", "--", "-rf")
	if args, _ := d.one("-rf").Env["args"].([]any); !slices.Equal(args, []any{"-rf"}) {
		t.Errorf("pm2 reload -- -rf: app arguments %v, want [-rf]", args)
	}
	d.mustRun(dir, "delete", "/^log$/")
	d.mustRun(dir, "start", "ecosystem.config.js", "--only", "log")
	if slices.ContainsFunc(d.jlist(), func(pr proc) bool { return pr.Name == "log" }) {
		t.Errorf("pm2 start ecosystem.config.js --only log started log: the CLI no longer rewrites log to logs")
	}
	d.mustRun(dir, "delete", "/^--watch$/")
	d.mustRun(dir, "start", "ecosystem.config.js", "--only", "--watch")
	if w, _ := d.one("--watch").Env["watch"].(bool); !w {
		t.Errorf("pm2 start ecosystem.config.js --only --watch: watch %v, want true", d.one("--watch").Env["watch"])
	}

	d.mustRun(dir, "delete", "all")
	proveOnlySplitsAndNumericNames(t, d)
}

// proveOnlySplitsAndNumericNames shows that --only cannot select an app
// whose name has a comma or a space, while delete takes such a name, and
// that a name which is a number is a process id once no app has it
// (docs/pm2-behaviour.md#only-splits-names, #numeric-names).
func proveOnlySplitsAndNumericNames(t *testing.T, d *daemon) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.js", "setInterval(() => {}, 1000);\n")
	write("names.config.js", "module.exports = { apps: ['my api', 'api', 'a,b', 'b'].map(name => ({ name, script: 'a.js' })) };\n")
	sorted := func() []string {
		var n []string
		for _, pr := range d.jlist() {
			n = append(n, pr.Name)
		}
		slices.Sort(n)
		return n
	}
	d.mustRun(dir, "start", "names.config.js", "--only", "my api")
	if got := sorted(); !slices.Equal(got, []string{"api"}) {
		t.Errorf("pm2 start names.config.js --only 'my api' started %q, want [api] (--only split at the space)", got)
	}
	d.mustRun(dir, "start", "names.config.js", "--only", "a,b")
	if got := sorted(); !slices.Equal(got, []string{"api", "b"}) {
		t.Errorf("then --only 'a,b': %q, want [api b] (--only split at the comma)", got)
	}
	d.mustRun(dir, "start", "names.config.js", "--only=my api")
	if got := sorted(); !slices.Equal(got, []string{"api", "b"}) {
		t.Errorf("then --only='my api': %q, want [api b] (no form of --only selects my api)", got)
	}
	// What starts them: the file without --only.
	d.mustRun(dir, "start", "names.config.js")
	d.waitFor("every app of names.config.js online", 30*time.Second, func(l []proc) bool { return onlineNames(l, "my api", "api", "a,b", "b") })
	// delete and restart take such a name, as it is or as a regular expression.
	rt := func(name string) float64 { v, _ := d.one(name).num("restart_time"); return v }
	bRestarts, abRestarts := rt("b"), rt("a,b")
	d.mustRun(dir, pm2.AppArgs("restart", "a,b")...)
	d.mustRun(dir, "restart", "/^a,b$/")
	if rt("b") != bRestarts || rt("a,b") != abRestarts+2 {
		t.Errorf("pm2 restart a,b then '/^a,b$/': restarts b %v -> %v, a,b %v -> %v; want a,b restarted twice, b not",
			bRestarts, rt("b"), abRestarts, rt("a,b"))
	}
	d.mustRun(dir, pm2.AppArgs("delete", "my api")...)
	d.mustRun(dir, "delete", "/^a,b$/")
	if got := sorted(); !slices.Equal(got, []string{"api", "b"}) {
		t.Errorf("after pm2 delete 'my api' and pm2 delete '/^a,b$/': %q, want [api b]", got)
	}

	// An app named after api's process id.
	api := d.one("api")
	num := strconv.Itoa(api.PmID)
	write("num.config.js", "module.exports = { apps: [{ name: '"+num+"', script: 'a.js' }] };\n")
	d.mustRun(dir, "start", "num.config.js")
	d.waitFor(num+" online", 30*time.Second, func(l []proc) bool { return onlineNames(l, num) })
	apiRestarts, numRestarts := rt("api"), rt(num)
	d.mustRun(dir, "restart", num)
	if rt("api") != apiRestarts || rt(num) != numRestarts+1 {
		t.Errorf("pm2 restart %s: restarts api %v -> %v, %s %v -> %v; want the app named %s restarted, not process %s (api)",
			num, apiRestarts, rt("api"), num, numRestarts, rt(num), num, num)
	}
	show := d.mustRun(dir, "show", num).out
	if !strings.Contains(show, "id "+num+" - name api") || !strings.Contains(show, "name "+num) {
		t.Errorf("pm2 show %s: want both process %s (api) and the app named %s described, got:\n%s", num, num, num, show)
	}
	if args := pm2.AppArgs("delete", num); args[1] != "/^"+num+"$/" {
		t.Fatalf("pm2.AppArgs(delete, %s) = %q, want the regular expression", num, args)
	}
	d.mustRun(dir, pm2.AppArgs("delete", num)...)
	if r := d.run(dir, pm2.AppArgs("delete", num)...); r.code == 0 || !onlineNames(d.jlist(), "api") {
		t.Errorf("pm2 %s once no app is named %s: want a failure and api left online, got %s, list %v", strings.Join(pm2.AppArgs("delete", num), " "), num, r, names(d.jlist()))
	}
	d.mustRun(dir, "delete", num)
	if slices.ContainsFunc(d.jlist(), func(pr proc) bool { return pr.Name == "api" }) {
		t.Errorf("pm2 delete %s once no app is named %s: api (process %s) still listed, want it deleted as process %s", num, num, num, num)
	}
}

// fence is a fenced code block of the report: its backtick run, its
// language and its content.
var fence = regexp.MustCompile("(?ms)^(`{3,})bash\n(.*?)\n^`{3,}$")

// procedureScripts are the bash blocks of the report's operating
// procedure section, as a reader copies them.
func procedureScripts(t *testing.T, md string) []string {
	t.Helper()
	i := strings.Index(md, "Operating procedure</summary>")
	if i < 0 {
		t.Fatalf("the report has no operating procedure:\n%s", md)
	}
	sec := md[i:]
	sec = sec[:strings.Index(sec, "</details>")]
	var out []string
	for _, m := range fence.FindAllStringSubmatch(sec, -1) {
		out = append(out, m[2])
	}
	if len(out) == 0 {
		t.Fatalf("no bash block in the procedure:\n%s", sec)
	}
	return out
}

// onlineNames reports whether every named app is in the list and online.
func onlineNames(l []proc, want ...string) bool {
	for _, n := range want {
		if !slices.ContainsFunc(l, func(pr proc) bool { return pr.Name == n && pr.status() == "online" }) {
			return false
		}
	}
	return true
}

// copyOver copies every file of src over dst.
func copyOver(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// bash runs a shell script the way a reader runs a block of the report:
// bash -e in dir, with `pm2` in PATH meaning this daemon's PM2.
func (d *daemon) bash(dir, script string) result {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.t.Context(), 4*commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-c", script)
	cmd.Dir = dir
	env := d.environ()
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + filepath.Dir(d.pm2.bin) + string(os.PathListSeparator) + strings.TrimPrefix(kv, "PATH=")
		}
	}
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := result{args: []string{"(bash)"}, out: ansi.ReplaceAllString(string(out), ""), took: time.Since(start)}
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) || ctx.Err() != nil {
			d.t.Fatalf("bash: %v\n%s\n%s", err, script, r.out)
		}
		r.code = exit.ExitCode()
	}
	return r
}
