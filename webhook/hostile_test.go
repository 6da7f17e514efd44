package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"mvdan.cc/sh/v3/syntax"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/report"
	"github.com/auditbot/auditbot/report/reporttest"
)

// Hostile pull requests (issue 9): whatever a pull request writes in its
// ecosystem file, code, file names, commit subject or branch names, the
// report and the PR comment get no line, command, HTML, link or fence
// that the report did not write.

// injected follows a line break in every hostile value: if it ever starts
// a line of the output, a value added a line.
const injected = "INJ"

// hostileSeeds are the fuzz seeds: issue 9's app name and the usual
// ways out of Markdown, HTML and shell contexts.
var hostileSeeds = []string{
	"plain",
	"api\ntouch /tmp/x\n```\n<img src=x onerror=alert(1)>[click](http://evil.example/)",
	"`", "```", "~~~\n", "``` bash",
	"<img src=x onerror=alert(1)>", "</details><details><summary>x", "<!-- x -->", "-->",
	"[click](http://evil.example/)", "![i](http://evil.example/x.png)", "http://evil.example/ www.evil.example <http://evil.example>",
	"@alice @org/team #12 GH-3 evil@evil.example",
	"$(touch /tmp/x)`touch /tmp/y`${IFS}", "'; touch /tmp/x; '", "\"; touch /tmp/x; \"", "x && touch /tmp/x", "a|b|c",
	"a\r\nb\rc", "\u2028\u2029\u0085", "\u202eevil", "    indented", "- item\n1. item\n# heading",
	"\\", "*_~", "\x00\x07\x1b[31m", "\xff\xfe",
}

// FuzzHostileReport builds a repository whose change puts the fuzzed
// string in every field an ecosystem file, a service and a commit have,
// audits it with the real engine, renders the Markdown report (Spanish
// and English, relative and absolute links) and the PR comment, and
// parses each as GitHub does (goldmark, GFM).
func FuzzHostileReport(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 512 {
			return
		}
		repo, base, head := hostileRepo(t, s)
		doc, err := audit.RunRange(context.Background(), repo, base+".."+head, audit.Options{Version: "test"})
		if err != nil {
			// Refusing an input with an error is allowed; a panic is not.
			t.Logf("audit refused the change: %v", err)
			return
		}
		now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		// Both languages; absolute links (as in a PR) and the comment,
		// which costs most (it is cut to GitHub's size), in one language
		// per input, so the fuzzer runs more inputs: the seeds cover both.
		repoURL, commentLang := "", "es"
		if len(s)%2 == 1 {
			repoURL, commentLang = "https://github.com/octo/repo", "en"
		}
		for _, lang := range []string{"es", "en"} {
			var buf bytes.Buffer
			if err := report.Markdown(&buf, doc, report.Options{Lang: lang, Now: now, Version: "test", RepoURL: repoURL}); err != nil {
				t.Fatalf("%s: report: %v", lang, err)
			}
			checkHostileOutput(t, "report/"+lang, buf.String(), repoURL)
		}
		srv := &Server{cfg: Config{Lang: commentLang, Version: "test"}, deps: Deps{Renderer: Engine{Version: "test", Now: func() time.Time { return now }}}}
		body, err := srv.commentBody(doc, doc.Base.SHA, doc.Head.SHA, repoURL)
		if err != nil {
			t.Fatalf("%s: comment: %v", commentLang, err)
		}
		checkHostileOutput(t, "comment/"+commentLang, body, repoURL)
	})
}

// hostileRepo commits a base and a head whose ecosystem file, code,
// package.json, paths, commit subject and branch names carry s, and
// returns the branch names of both.
func hostileRepo(t *testing.T, s string) (*git.Repository, string, string) {
	v := func(tag string) string { return tag + s + "\n" + injected + s }
	js := func(x string) string {
		b, _ := json.Marshal(x)
		return string(b)
	}
	dir := "svc" + pathSafe(s)
	cfg := func(head bool) string {
		var b strings.Builder
		b.WriteString("module.exports = {\n  apps: [{\n")
		b.WriteString("    name: " + js(v("app")) + ",\n")
		b.WriteString("    script: './server.js',\n")
		b.WriteString("    cwd: " + js("./"+dir) + ",\n")
		b.WriteString("    wait_ready: true,\n")
		b.WriteString("    env: { PORT: " + js(v("3000")) + ", " + js(v("K")) + ": " + js(v("val")) + " },\n")
		b.WriteString("    " + js("env_"+v("prod")) + ": { NODE_ENV: " + js(v("production")) + " },\n")
		if head {
			b.WriteString("    args: " + js(v("--flag ")) + ",\n")
			b.WriteString("    node_args: " + js(v("--max-old-space-size=")) + ",\n")
			b.WriteString("    interpreter: " + js(v("node")) + ",\n")
			b.WriteString("    out_file: " + js(v("logs/out")) + ",\n")
			b.WriteString("    error_file: " + js(v("logs/err")) + ",\n")
			b.WriteString("    watch: true,\n")
			b.WriteString("    ignore_watch: [" + js(v("tmp")) + "],\n")
			b.WriteString("    listen_timeout: " + js(v("5000")) + ",\n")
			b.WriteString("    kill_timeout: 10000,\n")
			b.WriteString("    max_memory_restart: " + js(v("150M")) + ",\n")
			b.WriteString("    cron_restart: " + js(v("0 0 * * *")) + ",\n")
			b.WriteString("    exec_mode: " + js(v("cluster")) + ",\n")
			b.WriteString("    instances: " + js(v("2")) + ",\n")
		} else {
			b.WriteString("    kill_timeout: 3000,\n")
		}
		b.WriteString("  }, {\n")
		b.WriteString("    name: " + js(v("worker")) + ",\n")
		b.WriteString("    script: " + js(v("./"+dir+"/worker")) + ",\n")
		b.WriteString("  }")
		if !head {
			b.WriteString(", {\n    name: " + js(v("gone")) + ",\n    script: " + js("./"+dir+"/server.js") + ",\n  }")
		}
		b.WriteString("],\n")
		b.WriteString("  deploy: { " + js(v("production")) + ": { user: 'deploy', ref: " + js(v("origin/main")) +
			", 'post-deploy': " + js("npm ci && pm2 reload ecosystem.config.js --env "+v("production")) + " } },\n")
		b.WriteString("};\n")
		return b.String()
	}
	server := "const app = require('express')();\n" +
		"app.get(" + js("/health"+v("")) + ", (req, res) => res.send('ok'));\n" +
		"app.get('/health', (req, res) => res.send(" + js(v("ok")) + "));\n" +
		"const server = app.listen(process.env.PORT || 3000, () => process.send('ready'));\n" +
		"process.on('SIGINT', () => server.close(() => process.exit(0)));\n" +
		"// " + strings.ReplaceAll(v("comment"), "\n", " ") + "\n"
	pkg := `{"name": ` + js(v("pkg")) + `, "main": "server.js", "scripts": {"start": ` +
		js("pm2 start ecosystem.config.js --env "+v("production")) + `, ` + js(v("script")) + `: "node server.js"}}`
	baseTree := changetest.Tree{
		"ecosystem.config.js":         changetest.Text(cfg(false)),
		dir + "/server.js":            changetest.Text(server),
		dir + "/package.json":         changetest.Text(pkg),
		dir + "/README" + dir + ".md": changetest.Text("Uses `wait_ready` and " + v("doc") + "\n"),
		"package.json":                changetest.Text(pkg),
	}
	headTree := baseTree.With(changetest.Tree{"ecosystem.config.js": changetest.Text(cfg(true))})
	fx := changetest.NewFixture(t)
	b := fx.Commit(v("base"), baseTree)
	h := fx.Commit(v("subject")+"\n\n"+v("body"), headTree, b)
	baseRef, headRef := "base-"+refSafe(s), "head-"+refSafe(s)
	fx.Ref("refs/heads/"+baseRef, b)
	fx.Ref("refs/heads/"+headRef, h)
	return fx.Repo(), baseRef, headRef
}

// pathSafe keeps the characters of s a file name may hold (no '/', NUL).
func pathSafe(s string) string {
	s = strings.NewReplacer("/", "", "\x00", "").Replace(strings.ToValidUTF8(s, ""))
	if s == "." || s == ".." {
		return "x"
	}
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.ToValidUTF8(s, "")
}

// refSafe keeps the characters of s a branch name may hold.
func refSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f && !strings.ContainsRune("~^:?*[\\.@{/", r) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// Only these are ours.
var (
	allowedHTMLBlock = regexp.MustCompile(`^(<details>(<summary>[^<>]*</summary>)?|</details>|<!-- auditbot:report -->)$`)
	allowedRawHTML   = regexp.MustCompile(`^</?(details|summary)>$`)
	knownFenceLangs  = map[string]bool{"bash": true, "js": true, "javascript": true, "typescript": true, "json": true, "yaml": true}
	ourCommands      = map[string]bool{"pm2": true, "git": true, "cd": true, "curl": true, "grep": true, "ss": true, "npm": true, "chmod": true, "go": true}
	// startsWithValue matches a line that a value's own line break made.
	startsWithValue = regexp.MustCompile(`(?m)^[\s'"$` + "`" + `>|*#+\-]*` + injected)
)

// checkHostileOutput parses md as GitHub does and reports what a hostile
// value made: a line, raw HTML, a link, autolink or image, a fence closed
// early (its rest then opens a block with an unknown language), a broken
// table row, or a bash command the report does not write.
func checkHostileOutput(t *testing.T, name, md, repoURL string) {
	t.Helper()
	if !utf8.ValidString(md) {
		t.Errorf("%s: invalid UTF-8", name)
	}
	if loc := startsWithValue.FindStringIndex(md); loc != nil {
		from := strings.LastIndex(md[:loc[0]], "\n") + 1
		t.Errorf("%s: a value's line break reached the output: line %q", name, md[from:min(len(md), loc[1]+40)])
	}
	src := []byte(md)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	lines := func(n ast.Node) string {
		var b strings.Builder
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			b.Write(seg.Value(src))
		}
		return b.String()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.HTMLBlock:
			if h := strings.TrimSpace(lines(x)); !allowedHTMLBlock.MatchString(h) {
				t.Errorf("%s: raw HTML block %q", name, h)
			}
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < x.Segments.Len(); i++ {
				seg := x.Segments.At(i)
				b.Write(seg.Value(src))
			}
			if !allowedRawHTML.MatchString(b.String()) {
				t.Errorf("%s: inline raw HTML %q", name, b.String())
			}
		case *ast.AutoLink:
			t.Errorf("%s: autolink %q", name, x.URL(src))
		case *ast.Image:
			t.Errorf("%s: image %q", name, x.Destination)
		case *ast.Link:
			if !ourLink(string(x.Destination), repoURL) {
				t.Errorf("%s: link to %q", name, x.Destination)
			}
		case *ast.CodeBlock:
			t.Errorf("%s: indented code block %q", name, lines(x))
		case *ast.FencedCodeBlock:
			lang := string(x.Language(src))
			if !knownFenceLangs[lang] {
				t.Errorf("%s: fenced block with language %q (a fence closed early?): %q", name, lang, lines(x))
			}
			if lang == "bash" {
				checkBash(t, name, lines(x))
			}
			return ast.WalkSkipChildren, nil
		case *east.Table:
			header := x.FirstChild()
			for row := header.NextSibling(); row != nil; row = row.NextSibling() {
				if row.ChildCount() != header.ChildCount() {
					t.Errorf("%s: table row with %d cells, header %d", name, row.ChildCount(), header.ChildCount())
				}
			}
		}
		return ast.WalkContinue, nil
	})
	for _, p := range reporttest.TableProblems(md) {
		t.Errorf("%s: %s", name, p)
	}
}

// ourLink tells whether a link destination is one the report makes: the
// PM2 documentation, a file of the repository (relative, or under the
// repository URL).
func ourLink(dest, repoURL string) bool {
	if strings.HasPrefix(dest, "https://pm2.keymetrics.io/") || strings.HasPrefix(dest, pm2.BehaviourDocURL+"#") || (repoURL != "" && (strings.HasPrefix(dest, repoURL+"/blob/") || strings.HasPrefix(dest, repoURL+"/compare/"))) {
		return !strings.ContainsAny(dest, " <>\"'`")
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == "" && !strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//")
}

// checkBash parses a bash block as bash would: every command is one the
// report writes, and nothing expands (no $(...), `...`, $VAR, <(...)).
func checkBash(t *testing.T, name, block string) {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(block), "")
	if err != nil {
		t.Errorf("%s: bash block does not parse (%v):\n%s", name, err, block)
		return
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CallExpr:
			if len(x.Args) > 0 && !ourCommands[x.Args[0].Lit()] {
				t.Errorf("%s: bash block runs a command the report does not write (%q):\n%s", name, x.Args[0].Lit(), block)
			}
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ParamExp, *syntax.ArithmExp, *syntax.ExtGlob:
			t.Errorf("%s: bash block expands something at %s:\n%s", name, n.Pos(), block)
		}
		return true
	})
}
