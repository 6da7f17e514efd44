package report

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// TestOptionLikeAppNamesAddressed protects every pm2 command the report
// writes for apps whose names PM2's command line would read as options or
// as its own words (`-rf`, `--watch`, `log`): no such name is ever a bare
// argument, nor the separate value of --only/--env, where PM2 fails, does
// nothing, restarts another app or turns watching on
// (docs/pm2-behaviour.md#cli-option-like-names; audit/proof's
// procedure-option-like-names runs these commands on a real PM2). The
// delete + start, restart, cluster reload, show, logs, removed-app,
// rollback and deploy-warning commands are all covered, in both languages.
func TestOptionLikeAppNamesAddressed(t *testing.T) {
	const hook = "reload ecosystem.config.js --env log"
	conf := func(rf, gone string) string {
		return "module.exports = { apps: [\n" +
			"  { name: '-rf', script: 'rf.js'" + rf + " },\n" +
			"  { name: '--watch', script: 'watch.js' },\n" +
			"  { name: 'log', script: 'log.js', exec_mode: 'cluster', instances: 1 },\n" + gone +
			"], deploy: { production: { 'post-deploy': 'pm2 " + hook + "' } } };\n"
	}
	f := changetest.NewFixture(t)
	tree := changetest.Tree{
		"ecosystem.config.js": changetest.Text(conf(", kill_timeout: 5000", "  { name: '-gone', script: 'gone.js' },\n")),
		"rf.js":               changetest.Text("setInterval(() => {}, 1000);\n"),
		"watch.js":            changetest.Text("setInterval(() => {}, 1000);\n"),
		"log.js":              changetest.Text("setInterval(() => {}, 1000);\n"),
		"gone.js":             changetest.Text("setInterval(() => {}, 1000);\n"),
	}
	base := f.Commit("base", tree)
	head := f.Commit("change", tree.With(changetest.Tree{
		"ecosystem.config.js": changetest.Text(conf("", "")),
		"watch.js":            changetest.Text("setInterval(() => {}, 2000);\n"),
		"log.js":              changetest.Text("setInterval(() => {}, 2000);\n"),
	}), base)
	doc, err := audit.RunRange(context.Background(), f.Repo(), base.String()+".."+head.String(), audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	optionLike := []string{"-rf", "--watch", "log", "-gone"}
	for _, lang := range []string{"es", "en"} {
		md := render(t, doc, Options{Lang: lang, Now: testNow})
		cmds := pm2Commands(t, md)
		seen := map[string]bool{}
		for _, args := range cmds {
			if strings.Join(args, " ") == hook {
				continue // the repository's own deploy hook, quoted
			}
			verb := args[0]
			for i, a := range args {
				if i == 0 {
					continue
				}
				prev := args[i-1]
				switch {
				case slices.Contains(optionLike, a) && !(prev == "--" && verb == "show"):
					t.Errorf("%s: `pm2 %s` gives %q as a word of its own", lang, strings.Join(args, " "), a)
				case prev == "--only" || prev == "--env":
					if strings.HasPrefix(a, "-") || a == "log" {
						t.Errorf("%s: `pm2 %s` gives %s the separate value %q", lang, strings.Join(args, " "), prev, a)
					}
				}
				for _, n := range optionLike {
					if a == "/^"+n+"$/" || a == "--only="+n || (prev == "--" && a == n) {
						seen[verb+" "+n] = true
					}
				}
			}
		}
		for _, want := range []string{"delete -rf", "start -rf", "restart --watch", "reload log", "show --watch", "logs log", "delete -gone"} {
			if !seen[want] {
				t.Errorf("%s: no command addresses `pm2 %s`; pm2 commands: %q", lang, want, cmds)
			}
		}
		if !slices.ContainsFunc(cmds, func(args []string) bool { return slices.Contains(args, "--env=log") }) {
			t.Errorf("%s: the deploy warning's start does not pass --env=log; pm2 commands: %q", lang, cmds)
		}
	}
}

// shellSnippet is a bash fence's content, or a code span that runs pm2.
var shellSnippet = regexp.MustCompile("(?ms)^(`{3,})bash\n(.*?)\n^`{3,}$|`(pm2 [^`\n]*)`")

// pm2Commands parses every bash block and pm2 code span of a report as bash
// does and returns the arguments of each pm2 command, expanded.
func pm2Commands(t *testing.T, md string) [][]string {
	t.Helper()
	var out [][]string
	for _, m := range shellSnippet.FindAllStringSubmatch(md, -1) {
		src := m[2] + m[3]
		f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src+"\n"), "")
		if err != nil {
			continue // prose such as `pm2 delete <app>`
		}
		syntax.Walk(f, func(n syntax.Node) bool {
			call, ok := n.(*syntax.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			var args []string
			for _, w := range call.Args {
				s, err := expand.Literal(nil, w)
				if err != nil {
					return true
				}
				args = append(args, s)
			}
			if args[0] == "pm2" {
				out = append(out, args[1:])
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatal("no pm2 command in the report")
	}
	return out
}

// TestOnlyCannotSelectNamesWithCommaOrSpace protects the report of apps
// named `my api` and `a,b`: PM2 splits --only's value at commas and
// spaces (`--only 'my api'` starts the app `api`), so no pm2 start the
// report writes gives --only a piece of such a name; the procedure says,
// in both languages, that the app cannot be started on its own and gives
// what starts it, the whole file (`pm2 delete 'my api' && pm2 start
// ecosystem.config.js`), and the deploy warning's fix starts the whole
// file too (docs/pm2-behaviour.md#only-splits-names; audit/proof's
// procedure-option-like-names runs the split on a real PM2).
func TestOnlyCannotSelectNamesWithCommaOrSpace(t *testing.T) {
	conf := func(kill, added string) string {
		return "module.exports = { apps: [\n" +
			"  { name: 'my api', script: 'api.js'" + kill + " },\n" +
			"  { name: 'api', script: 'api.js' },\n" + added +
			"], deploy: { production: { 'post-deploy': 'pm2 reload ecosystem.config.js' } } };\n"
	}
	f := changetest.NewFixture(t)
	tree := changetest.Tree{
		"ecosystem.config.js": changetest.Text(conf(", kill_timeout: 5000", "")),
		"api.js":              changetest.Text("setInterval(() => {}, 1000);\n"),
	}
	base := f.Commit("base", tree)
	head := f.Commit("change", tree.With(changetest.Tree{
		"ecosystem.config.js": changetest.Text(conf("", "  { name: 'a,b', script: 'api.js' },\n")),
	}), base)
	doc, err := audit.RunRange(context.Background(), f.Repo(), base.String()+".."+head.String(), audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{"my", "api", "a", "b", "my api", "a,b"}
	for _, lang := range []string{"es", "en"} {
		md := render(t, doc, Options{Lang: lang, Now: testNow})
		cmds := pm2Commands(t, md)
		var deleteThenWhole int
		for i, args := range cmds {
			for j, a := range args {
				v, ok := strings.CutPrefix(a, "--only=")
				if a == "--only" && j+1 < len(args) {
					v, ok = args[j+1], true
				}
				if !ok {
					continue
				}
				for _, p := range regexp.MustCompile(`,| `).Split(v, -1) {
					if slices.Contains(pieces, p) {
						t.Errorf("%s: `pm2 %s` gives --only %q: PM2 splits it and starts another app or none", lang, strings.Join(args, " "), v)
					}
				}
			}
			if slices.Equal(args, []string{"delete", "my api"}) && i+1 < len(cmds) &&
				slices.Equal(cmds[i+1], []string{"start", "ecosystem.config.js"}) {
				deleteThenWhole++
			}
		}
		// The procedure's note and the deploy warning's fix.
		if deleteThenWhole < 2 {
			t.Errorf("%s: %d `pm2 delete 'my api' && pm2 start ecosystem.config.js`, want the procedure's and the deploy fix's; pm2 commands: %q", lang, deleteThenWhole, cmds)
		}
		if !slices.ContainsFunc(cmds, func(args []string) bool { return slices.Equal(args, []string{"start", "ecosystem.config.js"}) }) {
			t.Errorf("%s: no `pm2 start ecosystem.config.js` for a,b; pm2 commands: %q", lang, cmds)
		}
		want := map[string][]string{
			"es": {"No se puede arrancar esta app sola", "Este comando arranca el archivo entero, sin"},
			"en": {"This app cannot be started on its own", "This command starts the whole file, without"},
		}[lang]
		for _, w := range want {
			if strings.Count(md, w) == 0 {
				t.Errorf("%s: the report does not say %q", lang, w)
			}
		}
		// The first screen and the checklist name them, and write no empty command.
		if !strings.Contains(md, map[string]string{"es": "Ningún `--only` selecciona `my api`, `a,b`", "en": "No `--only` selects `my api`, `a,b`"}[lang]) {
			t.Errorf("%s: the first screen does not say that no --only selects my api and a,b", lang)
		}
		if strings.Contains(md, ": ` `") {
			t.Errorf("%s: the report has an empty code span", lang)
		}
		if n := strings.Count(md, "`(cd . && ") + strings.Count(md, "`pm2 delete 'my api' && pm2 start ecosystem.config.js`"); n == 0 {
			t.Errorf("%s: the checklist does not give the whole-file command for my api", lang)
		}
		if n := strings.Count(md, want[0]); n != 2 {
			t.Errorf("%s: %q %d times, want once for my api and once for a,b", lang, want[0], n)
		}
	}
}
