package report

import (
	"math"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
)

// TestExcerpts protects the code excerpt of section 2.2: only the lines
// the scan found, from code (not comments or strings), each run of
// consecutive lines labelled path:line, gaps marked, capped, and a
// repository path that cannot add lines to the block.
func TestExcerpts(t *testing.T) {
	ev := func(kind, ctx, p string, line int, text string) audit.Evidence {
		return audit.Evidence{Kind: kind, Context: ctx, Path: p, Line: line, Text: text}
	}
	tests := []struct {
		name string
		evs  []audit.Evidence
		max  int
		want []codeExcerpt
	}{
		{
			name: "runs labelled, gaps marked, other kinds and contexts left out",
			evs: []audit.Evidence{
				ev(evSignal, ctxCode, "a/index.js", 38, "process.on('SIGTERM', stop);"),
				ev(evListen, ctxCode, "a/index.js", 23, "app.listen(PORT);"),
				ev(evSignal, ctxCode, "a/index.js", 37, "process.on('SIGINT', stop);"),
				ev(evRoute, ctxCode, "a/index.js", 9, "app.get('/health', h);"),
				ev(evHandshake, "comment", "a/index.js", 50, "// process.send('ready')"),
				ev(evClose, ctxCode, "a/index.js", 30, ""),
			},
			max: 12,
			want: []codeExcerpt{{Path: "a/index.js", Lang: "javascript", Lines: "23, 37-38",
				Code: "// a/index.js:23\napp.listen(PORT);\n// …\n// a/index.js:37-38\nprocess.on('SIGINT', stop);\nprocess.on('SIGTERM', stop);\n"}},
		},
		{
			name: "one excerpt per file, sorted; TypeScript fence",
			evs: []audit.Evidence{
				ev(evHandshake, ctxCode, "b/main.ts", 5, "process.send?.('ready');"),
				ev(evListen, ctxCode, "a/server.js", 2, "srv.listen(0);"),
			},
			max: 12,
			want: []codeExcerpt{
				{Path: "a/server.js", Lang: "javascript", Lines: "2", Code: "// a/server.js:2\nsrv.listen(0);\n"},
				{Path: "b/main.ts", Lang: "typescript", Lines: "5", Code: "// b/main.ts:5\nprocess.send?.('ready');\n"},
			},
		},
		{
			name: "capped, the rest counted",
			evs: []audit.Evidence{
				ev(evSignal, ctxCode, "x.js", 1, "a();"), ev(evSignal, ctxCode, "x.js", 2, "b();"), ev(evSignal, ctxCode, "x.js", 3, "c();"),
			},
			max:  2,
			want: []codeExcerpt{{Path: "x.js", Lang: "javascript", Lines: "1-2", Code: "// x.js:1-2\na();\nb();\n", More: 1}},
		},
		{
			name: "a newline in the path or text stays on one line; unknown language uses # comments",
			evs:  []audit.Evidence{ev(evListen, ctxCode, "p\nfake.py", 4, "app.run()\r\nimport os")},
			max:  12,
			want: []codeExcerpt{{Path: "p\nfake.py", Lang: "", Lines: "4", Code: "# p fake.py:4\napp.run()  import os\n"}},
		},
		{
			name: "nothing found, no excerpt",
			evs:  []audit.Evidence{ev(evRoute, ctxCode, "x.js", 1, "app.get('/');")},
			max:  12,
			want: []codeExcerpt{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := excerpts(&audit.Service{Evidence: tt.evs}, tt.max, func(p string) string { return p })
			if len(got) != len(tt.want) {
				t.Fatalf("got %d excerpts %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("excerpt %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestExcerptSection protects how section 2.2 presents the excerpt: it
// says plainly it is the lines found, and the conclusion follows the
// evidence (listen without handshake; handshake present).
func TestExcerptSection(t *testing.T) {
	doc := loadDoc(t, "demo")
	for _, lang := range languages {
		md := section(render(t, doc, Options{Lang: lang, Now: testNow}), "## 2.")
		for _, w := range map[string][]string{
			"es": {"### 2.2 Validación del código", "Solo las líneas que encontró el análisis", "// index.js:23\nconst server = app.listen(PORT, () => {\n// …\n", "**Conclusión:** el código llama a `listen()`, pero nunca envía"},
			"en": {"### 2.2 Code validation", "Only the lines the scan found", "// index.js:23\nconst server = app.listen(PORT, () => {\n// …\n", "**Conclusion:** the code calls `listen()` but never sends"},
		}[lang] {
			if !strings.Contains(md, w) {
				t.Errorf("%s: section 2 lacks %q", lang, w)
			}
		}
	}
	// With the handshake in the code, the conclusion says so.
	doc.Services[0].Evidence = append(doc.Services[0].Evidence, audit.Evidence{Kind: evHandshake, Context: ctxCode, Path: "services/session-manager/index.js", Line: 24, Text: "process.send('ready');"})
	md := section(render(t, doc, Options{Lang: "es", Now: testNow}), "## 2.")
	if !strings.Contains(md, "app.listen(PORT, () => {\nprocess.send('ready');\n") || !strings.Contains(md, "**Conclusión:** el código envía `process.send('ready')`") {
		t.Errorf("the handshake line or its conclusion is missing:\n%s", md)
	}
	// Without any scanned line there is no 2.2.
	src := render(t, loadDoc(t, "source"), Options{Lang: "es", Now: testNow})
	if strings.Contains(src, "### 2.2 Validación del código") {
		t.Error("a service with no listen/handshake/signal lines gets a code excerpt")
	}
}

// TestDocsURL protects the #graceful-start anchor: added only for
// wait_ready findings that link PM2's signals page.
func TestDocsURL(t *testing.T) {
	const other = "https://pm2.keymetrics.io/docs/usage/application-declaration/"
	tests := []struct {
		f    audit.Finding
		want string
	}{
		{audit.Finding{Rule: "wait-ready-without-handshake", Option: "wait_ready", Docs: pm2SignalsPage}, pm2SignalsPage + "#graceful-start"},
		{audit.Finding{Rule: "handshake-without-wait-ready", About: testAbout("handshake-without-wait-ready"), Docs: pm2SignalsPage}, pm2SignalsPage + "#graceful-start"},
		{audit.Finding{Rule: "kill-signal-not-handled", Option: "kill_timeout", Docs: pm2SignalsPage}, pm2SignalsPage},
		{audit.Finding{Rule: "twin-config-drift", Option: "wait_ready", Docs: other}, other},
		{audit.Finding{Rule: "wait-ready-without-handshake", Docs: pm2SignalsPage + "#graceful-start"}, pm2SignalsPage + "#graceful-start"},
		{audit.Finding{Rule: "wait-ready-without-handshake"}, ""},
	}
	for _, tt := range tests {
		if got := docsURL(tt.f); got != tt.want {
			t.Errorf("docsURL(%s, %q, %q) = %q, want %q", tt.f.Rule, tt.f.Option, tt.f.Docs, got, tt.want)
		}
	}
	md := render(t, loadDoc(t, "demo"), Options{Lang: "en", Now: testNow})
	if !strings.Contains(section(md, "## 11."), "(https://pm2.keymetrics.io/docs/usage/signals-clean-restart/#graceful-start)") {
		t.Error("the demo's references do not link #graceful-start for wait_ready")
	}
}

// TestPortCheck protects the ss port check: in the procedure and the
// checklist when the port is known, absent when it is not.
func TestPortCheck(t *testing.T) {
	for _, lang := range languages {
		md := render(t, loadDoc(t, "demo"), Options{Lang: lang, Now: testNow})
		for _, sec := range []string{"## 5.", "## 9."} {
			if !strings.Contains(section(md, sec), `ss -ltnp | grep ':3001\b'`) {
				t.Errorf("%s: %s has no ss port check for 3001", lang, sec)
			}
		}
		if !strings.Contains(section(md, "## 5."), "netstat -tulpn") {
			t.Errorf("%s: the procedure does not say ss replaces netstat", lang)
		}
		if src := render(t, loadDoc(t, "source"), Options{Lang: lang, Now: testNow}); strings.Contains(src, "ss -ltnp") {
			t.Errorf("%s: a port check without a known port", lang)
		}
	}
}

// TestSummaryGrouping protects the findings of a rule that reports one
// finding per file (twin-config-drift): one row with one id and both
// locations, its detail said once (in the variants table, which the list
// points to), and the verdict still "warn". Findings that differ only in
// a number (listen_timeout 15000 in one file, 10000 in the other) are
// said in one message.
func TestSummaryGrouping(t *testing.T) {
	doc := loadDoc(t, "demo")
	md := render(t, doc, Options{Lang: "es", Now: testNow})
	if n := strings.Count(md, "· `twin-config-drift`"); n != 1 {
		t.Errorf("twin-config-drift has %d rows in the findings, want 1", n)
	}
	if !strings.Contains(md, "(`ecosystem.config.cjs:5`, `ecosystem.config.js:13`). Detalle en la sección 7.") {
		t.Error("the twin-config-drift row does not list both files and point to section 7")
	}
	if strings.Contains(md, "difiere entre `ecosystem.config.cjs` y `ecosystem.config.js`") {
		t.Error("the twin message is repeated beside the table that shows it")
	}
	if !strings.Contains(md, "- `ecosystem.config.cjs:38`, `ecosystem.config.js:57` — La app «session-manager» declara `wait_ready: true`") || !strings.Contains(md, "`listen_timeout` (15000 / 10000 ms)") {
		t.Error("the two wait_ready findings are not said in one message with both values")
	}
	if !strings.Contains(section(md, "## 10."), "⚠️ **Aprobado con advertencias.** Quedan hallazgos de advertencia tras el cambio.") {
		t.Error("the verdict of a warning left after the change is not 'approved with warnings'")
	}
}

// TestDedent: a hunk excerpt loses only the indentation all its lines
// share. A hunk with a line at column 0 (a YAML file's `apps:`, a JS
// file's `module.exports = {`) keeps every indentation: flattening it
// showed `instances: 4` as a top-level key of a YAML file.
func TestDedent(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []string
		want string
	}{
		{"yaml from the top", []string{"apps:", "  - script   : api.js", "    instances: 4"},
			"apps:\n  - script   : api.js\n    instances: 4"},
		{"js from the top", []string{"module.exports = {", "  apps: [{", "    name: 'api',"},
			"module.exports = {\n  apps: [{\n    name: 'api',"},
		{"common indentation", []string{"    name: 'api',", "      env: {", "    },"},
			"name: 'api',\n  env: {\n},"},
		{"tabs", []string{"\t\tname: 'api',", "\t\t\tport: 1,"}, "name: 'api',\n\tport: 1,"},
		{"blank lines inside and around", []string{"", "  a: 1,", "", "    b: 2,", "  "}, "a: 1,\n\n  b: 2,"},
		{"trailing spaces", []string{"apps:  ", "  - x: 1 "}, "apps:\n  - x: 1"},
	} {
		if got := dedent(c.in); got != c.want {
			t.Errorf("%s: dedent = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestJSNumberNonFinite: a value JSON cannot hold (max_restarts:
// Infinity in a real file) is written as JavaScript writes it, not as
// null, which would say the option was null.
func TestJSNumberNonFinite(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{math.NaN(), "NaN"},
		{[]any{1.5, math.Inf(1)}, "[1.5, Infinity]"},
		{map[string]any{"n": math.NaN()}, "{ n: NaN }"},
	} {
		if got := jsValue(c.in); got != c.want {
			t.Errorf("jsValue(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSharedTemplateLines: apps built by one list.map share the lines of
// their template, so the same change shows up once per app at one line.
// The objective and the configuration hits say it once, not once per app.
func TestSharedTemplateLines(t *testing.T) {
	opt := func(line int) *audit.Option { return &audit.Option{Key: "wait_ready", Value: true, Line: line} }
	doc := &audit.Document{Impact: true, Schema: audit.SchemaVersion,
		Base: audit.Commit{SHA: strings.Repeat("a", 40), Short: "aaaaaaa"}, Head: audit.Commit{SHA: strings.Repeat("b", 40), Short: "bbbbbbb"},
		Changed: []audit.ChangedFile{{Path: "ecosystem.config.js", Status: "modified", Kind: audit.KindEcosystem}},
		Ecosystems: []audit.Ecosystem{{Path: "ecosystem.config.js", Format: "js", Loadable: true, Status: "modified",
			Base:    &audit.EcoRev{Apps: []audit.App{{Name: "a", Line: 5}, {Name: "b", Line: 5}}},
			Head:    &audit.EcoRev{Apps: []audit.App{{Name: "a", Line: 5, Options: []audit.Option{*opt(8)}}, {Name: "b", Line: 5, Options: []audit.Option{*opt(8)}}}},
			Changes: []audit.OptionChange{{App: "a", Key: "wait_ready", Change: audit.Added, After: opt(8)}, {App: "b", Key: "wait_ready", Change: audit.Added, After: opt(8)}},
		}},
		Summary: audit.Summary{Verdict: "pass"},
	}
	md := render(t, doc, Options{Lang: "en", Now: testNow})
	if n := strings.Count(section(md, "### 1.1"), "`true` in `ecosystem.config.js` (line 8)"); n != 1 {
		t.Errorf("the objective names the shared line %d times, want 1:\n%s", n, section(md, "### 1.1"))
	}
	if n := strings.Count(md, "`wait_ready: true`, `wait_ready: true`"); n != 0 {
		t.Errorf("the configuration hits repeat the same item:\n%s", md)
	}
	if n := strings.Count(section(md, "### 1.2"), "| `wait_ready` |"); n != 2 {
		t.Errorf("the change table has %d rows, want one per app (2)", n)
	}
}

// TestInterpreterChecks: section 2.3 says what the engine found, no more.
// Real files showed it claiming python rejects its own -u, that node_args
// under interpreter none are rejected (they are ignored), that a script
// built at deploy time or absent altogether is a plain ✅/❌ file check.
func TestInterpreterChecks(t *testing.T) {
	opt := func(k string, v any) audit.Option { return audit.Option{Key: k, Value: v, Line: 2} }
	apps := []audit.App{
		{Name: "bot", Line: 1, Options: []audit.Option{opt("script", "bot.py"), opt("interpreter", "./venv/bin/python3"), opt("interpreter_args", "-u")}},
		{Name: "npm", Line: 1, Options: []audit.Option{opt("script", "npm run start"), opt("node_args", "--max-old-space-size=512")}},
		{Name: "built", Line: 1, Options: []audit.Option{opt("script", "dist/main.js")}},
		{Name: "none", Line: 1, Options: []audit.Option{opt("name", "none")}},
		{Name: "sh", Line: 1, Options: []audit.Option{opt("script", "run.sh"), opt("node_args", "--max-old-space-size=256")}},
	}
	doc := &audit.Document{Impact: true, Schema: audit.SchemaVersion,
		Base: audit.Commit{SHA: strings.Repeat("a", 40), Short: "aaaaaaa"}, Head: audit.Commit{SHA: strings.Repeat("b", 40), Short: "bbbbbbb"},
		Changed:    []audit.ChangedFile{{Path: "ecosystem.config.js", Status: "modified", Kind: audit.KindEcosystem}},
		Ecosystems: []audit.Ecosystem{{Path: "ecosystem.config.js", Format: "js", Loadable: true, Status: "modified", Base: &audit.EcoRev{Apps: apps}, Head: &audit.EcoRev{Apps: apps}}},
		Services: []audit.Service{
			{App: "bot", Ecosystem: "ecosystem.config.js", Dir: ".", Script: "bot.py", ScriptPath: "bot.py", ScriptExists: true, Interpreter: "./venv/bin/python3", Mode: "fork", Instances: 1},
			{App: "npm", Ecosystem: "ecosystem.config.js", Dir: ".", Script: "npm run start", ViaShell: true, Interpreter: "none", Mode: "fork", Instances: 1},
			{App: "built", Ecosystem: "ecosystem.config.js", Dir: ".", Script: "dist/main.js", ScriptPath: "dist/main.js", BuildOutput: true, Interpreter: "node", Mode: "fork", Instances: 1},
			{App: "none", Ecosystem: "ecosystem.config.js", Dir: ".", Interpreter: "node", Mode: "fork", Instances: 1, Note: "no script option"},
			{App: "sh", Ecosystem: "ecosystem.config.js", Dir: ".", Script: "run.sh", ScriptPath: "run.sh", ScriptExists: true, Interpreter: "bash", Mode: "fork", Instances: 1},
		},
		Findings: []audit.Finding{{Rule: "node-args-non-node-interpreter", Severity: "error", State: audit.Persisting, Path: "ecosystem.config.js", Line: 2, App: "sh",
			About: testAbout("node-args-non-node-interpreter"), Message: testMessage("node-args-non-node-interpreter", "sh", nil)}},
		Summary: audit.Summary{Verdict: "fail"},
	}
	md := section(render(t, doc, Options{Lang: "en", Now: testNow}), "### 2.3")
	for _, want := range []string{
		"- `interpreter_args: '-u'` → passed to `./venv/bin/python3` as its own flags ([§node-args-to-interpreter][])",
		"- ⚠️ `node_args: '--max-old-space-size=512'` → ignored, because PM2 runs the script without node (interpreter `none`, [§node-args-to-interpreter][])",
		"- ⚠️ `script: 'dist/main.js'` → `dist/main.js` is built or installed at deploy time. It is not in the repository and is not checked",
		"- ❌ No `script`: PM2 does not start the app (`No script path - aborting`, [§script-required][])",
		"- ❌ `node_args: '--max-old-space-size=256'` → PM2 passes these flags to `bash`, which rejects them ([§node-args-to-interpreter][])",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("section 2.3 lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "which rejects them") && strings.Count(md, "which rejects them") != 1 {
		t.Errorf("only the bash app's flags are rejected:\n%s", md)
	}
}

// TestSourceHandshakeForms protects section 2's wording when the scan
// found no literal handshake but something it cannot count as one: a
// message decided at run time and cluster.worker.send('ready') are shown
// as such, never as "there is no process.send('ready')", and a handshake
// or handler found only in tests is said to be only in tests.
func TestSourceHandshakeForms(t *testing.T) {
	const p = "services/session-manager/index.js"
	doc := loadDoc(t, "demo")
	for i := range doc.Services { // one entry per app of each config file, one directory
		doc.Services[i].Evidence = append(doc.Services[i].Evidence,
			audit.Evidence{Kind: evPossible, Context: ctxCode, Path: p, Line: 25, Detail: "msg", Text: "process.send(msg);"},
			audit.Evidence{Kind: evWorker, Context: ctxCode, Path: p, Line: 26, Text: "cluster.worker.send('ready');"},
			audit.Evidence{Kind: evHandshake, Context: ctxTest, Path: "services/session-manager/test/server.test.js", Line: 7, Text: "process.send('ready');"},
			audit.Evidence{Kind: evSignal, Context: ctxTest, Path: "services/session-manager/test/server.test.js", Line: 9, Detail: "SIGINT", Text: "process.on('SIGINT', stop);"},
		)
	}
	for lang, want := range map[string][]string{
		"en": {
			"- ⚠️ `process.send` with a message decided at run time at `index.js:25`: `process.send(msg);` — auditbot cannot tell whether it is `'ready'`",
			"- ⚠️ `cluster.worker.send('ready')` at `index.js:26`: `cluster.worker.send('ready');` — the same message as `process.send('ready')` only in cluster mode",
			"- `test/server.test.js:7`: `process.send('ready');` — only in a test or fixture, which PM2 does not run",
			"- `test/server.test.js:9`: `process.on('SIGINT', stop);` — only in a test or fixture",
		},
		"es": {
			"- ⚠️ `process.send` con un mensaje que se decide en tiempo de ejecución en `index.js:25`: `process.send(msg);` — auditbot no puede saber si es `'ready'`",
			"- ⚠️ `cluster.worker.send('ready')` en `index.js:26`: `cluster.worker.send('ready');` — es el mismo mensaje que `process.send('ready')` solo en modo cluster",
			"- `test/server.test.js:7`: `process.send('ready');` — solo en un test o fixture, que PM2 no ejecuta",
		},
	} {
		md := section(render(t, doc, Options{Lang: lang, Now: testNow}), "## 2.")
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: section 2 lacks %q:\n%s", lang, w, md)
			}
		}
		for _, no := range []string{"There is NO `process.send('ready')`", "NO existe `process.send('ready')`", "**Conclusion:** the code calls `listen()`", "**Conclusión:** el código llama a `listen()`"} {
			if strings.Contains(md, no) {
				t.Errorf("%s: section 2 claims %q although the handshake is undecided", lang, no)
			}
		}
		// Nor does the summary of principles say there is no handshake.
		if full := render(t, doc, Options{Lang: lang, Now: testNow}); strings.Contains(full, "No startup handshake") || strings.Contains(full, "Sin handshake de arranque") {
			t.Errorf("%s: the principles claim there is no startup handshake", lang)
		}
		// The test file's handler is not listed as the service's own.
		if strings.Contains(md, "handler at `services/session-manager/test/") || strings.Contains(md, "Manejador de `SIGINT` en `services/session-manager/test/") {
			t.Errorf("%s: a handler in a test is listed as the service's", lang)
		}
	}
}

// TestPortFromTheCode protects the port of the procedure: a code that
// listens on a literal port (3100) is checked there, not on the env.PORT
// (3000) the configuration sets but the code never reads; a code that
// reads PORT gets env.PORT.
func TestPortFromTheCode(t *testing.T) {
	app := &audit.App{Name: "worker", Options: []audit.Option{{Key: "env", Value: map[string]any{"PORT": float64(3000)}}}}
	literal := &audit.Service{Evidence: []audit.Evidence{{Kind: evListen, Context: ctxCode, Path: "w.js", Line: 3, Detail: "3100"}}}
	if p, src, ok := portOf(app, literal); !ok || p != "3100" || src != "listen" {
		t.Errorf("literal listen(3100) with env.PORT 3000: port %q from %q", p, src)
	}
	reads := &audit.Service{Evidence: []audit.Evidence{{Kind: evListen, Context: ctxCode, Path: "w.js", Line: 3, Detail: "PORT"}, {Kind: evPortDefault, Context: ctxCode, Path: "w.js", Line: 1, Detail: "8080"}}}
	if p, src, ok := portOf(app, reads); !ok || p != "3000" || src != "env" {
		t.Errorf("listen(PORT) with env.PORT 3000: port %q from %q", p, src)
	}
}
