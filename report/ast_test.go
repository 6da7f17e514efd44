package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/auditbot/auditbot/report/reporttest"
)

func parseGFM(src string) ast.Node {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	return md.Parser().Parse(text.NewReader([]byte(src)))
}

// textOf is the visible text of a node: text, code spans, raw strings.
func textOf(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.Text:
			b.Write(x.Segment.Value(src))
			if x.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(x.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// allowedHTML is the only raw HTML the report writes.
var allowedHTML = regexp.MustCompile(`^(<details><summary>[^<>]*</summary>|</details>)$`)

// sectionToken is a section reference the numbering did not replace.
var sectionToken = regexp.MustCompile(`§[a-z]+§`)

// tableHeaders are the tables the report writes: first header cell ->
// number of columns.
var tableHeaders = map[string]int{
	"Errores": 6, "Errors": 6, "Regla": 5, "Rule": 5, "Archivo": -1, "File": -1,
	"Opción": -1, "Option": -1, "Principio": 3, "Principle": 3, "Riesgo": 4, "Risk": 4,
}

var fenceLangs = map[string]bool{"bash": true, "js": true, "javascript": true, "typescript": true, "json": true, "yaml": true}

// mdStats is what checkMarkdown found.
type mdStats struct {
	tables, tasks, fences, details int
	// summaries are the <summary> texts of the <details> blocks.
	summaries []string
	fenceText map[string][]string // language -> contents
	headings  []string
}

// checkMarkdown parses md as GitHub does (GFM) and checks its structure:
// every table row has as many cells as its header and the header is one
// the report writes, fenced code has a known language, the only raw HTML
// is <details>/<summary>, no mention or issue reference appears in text
// outside code, and tables are not broken by an unescaped pipe.
func checkMarkdown(t *testing.T, name, md string) mdStats {
	t.Helper()
	src := []byte(md)
	doc := parseGFM(md)
	st := mdStats{fenceText: map[string][]string{}}
	mention := regexp.MustCompile(`(^|[^\w])@[A-Za-z0-9]|(^|[^\w&])#[0-9]`)
	depth := 0 // open <details> blocks
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Heading:
			st.headings = append(st.headings, textOf(x, src))
		case *east.Table:
			st.tables++
			header := x.FirstChild()
			cols := header.ChildCount()
			first := strings.TrimSpace(textOf(header.FirstChild(), src))
			want, ok := tableHeaders[first]
			if !ok {
				t.Errorf("%s: unknown table header %q", name, first)
			} else if want > 0 && want != cols {
				t.Errorf("%s: table %q has %d columns, want %d", name, first, cols, want)
			}
			for row := header.NextSibling(); row != nil; row = row.NextSibling() {
				if row.ChildCount() != cols {
					t.Errorf("%s: table %q row %q has %d cells, want %d", name, first, textOf(row, src), row.ChildCount(), cols)
				}
			}
		case *east.TaskCheckBox:
			st.tasks++
		case *ast.FencedCodeBlock:
			st.fences++
			lang := string(x.Language(src))
			if !fenceLangs[lang] {
				t.Errorf("%s: fenced code block with language %q", name, lang)
			}
			var b bytes.Buffer
			for i := 0; i < x.Lines().Len(); i++ {
				seg := x.Lines().At(i)
				b.Write(seg.Value(src))
			}
			st.fenceText[lang] = append(st.fenceText[lang], b.String())
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			var b bytes.Buffer
			for i := 0; i < x.Lines().Len(); i++ {
				seg := x.Lines().At(i)
				b.Write(seg.Value(src))
			}
			h := strings.TrimSpace(b.String())
			if !allowedHTML.MatchString(h) {
				t.Errorf("%s: raw HTML block %q", name, h)
			}
			switch {
			case strings.HasPrefix(h, "<details>"):
				st.details++
				depth++
				st.summaries = append(st.summaries, strings.TrimSuffix(strings.TrimPrefix(h, "<details><summary>"), "</summary>"))
			case h == "</details>":
				depth--
				if depth < 0 {
					t.Errorf("%s: </details> without <details>", name)
					depth = 0
				}
			}
		case *ast.RawHTML:
			var b bytes.Buffer
			for i := 0; i < x.Segments.Len(); i++ {
				seg := x.Segments.At(i)
				b.Write(seg.Value(src))
			}
			t.Errorf("%s: inline raw HTML %q", name, b.String())
		case *ast.CodeSpan:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if s := string(x.Segment.Value(src)); mention.MatchString(s) {
				t.Errorf("%s: mention or issue reference in text %q", name, s)
			}
		case *ast.Link:
			d := string(x.Destination)
			if strings.Contains(strings.ToLower(d), "javascript:") || strings.HasPrefix(d, "/") {
				t.Errorf("%s: bad link destination %q", name, d)
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if depth != 0 {
		t.Errorf("%s: %d <details> never closed", name, depth)
	}
	checkRawTables(t, name, md)
	return st
}

// TestGoldenStructure parses every golden document with goldmark + GFM
// and checks tables, task lists, fences and HTML as GitHub renders them:
// every section a well-formed <details> block (blank lines around its
// Markdown, closed), numbered 1, 2, 3... without gaps, in the file and in
// the comment form.
func TestGoldenStructure(t *testing.T) {
	for _, c := range goldenCases {
		for _, lang := range languages {
			for _, comment := range []bool{true, false} {
				md := render(t, loadDoc(t, c), Options{Lang: lang, Now: testNow, Version: "0.1.0", Comment: comment, RepoURL: "https://github.com/acme/shop"})
				st := checkMarkdown(t, c+"/"+lang, md)
				n := 0
				for _, s := range st.summaries {
					num, _, ok := strings.Cut(s, ". ")
					if !ok || strings.Trim(num, "0123456789") != "" {
						continue
					}
					n++
					if num != strconv.Itoa(n) {
						t.Errorf("%s/%s (comment %v): section %q, want number %d", c, lang, comment, s, n)
					}
				}
				if sectionToken.MatchString(md) || strings.Contains(md, "sección ?") || strings.Contains(md, "section ?") {
					t.Errorf("%s/%s: a section reference was left unnumbered", c, lang)
				}
			}
			md := render(t, loadDoc(t, c), Options{Lang: lang, Now: testNow, Version: "0.1.0"})
			st := checkMarkdown(t, c+"/"+lang, md)
			if c != "seed" {
				continue
			}
			if st.tasks < 10 {
				t.Errorf("%s/%s: %d task list items, want the three checklists", c, lang, st.tasks)
			}
			if st.tables < 4 {
				t.Errorf("%s/%s: %d tables", c, lang, st.tables)
			}
			js := strings.Join(st.fenceText["javascript"], "\n")
			for _, w := range []string{"wait_ready: true,", "module.exports = {", "kill_timeout: 10000,"} {
				if !strings.Contains(js, w) {
					t.Errorf("%s/%s: no javascript block contains %q", c, lang, w)
				}
			}
			sh := strings.Join(st.fenceText["bash"], "\n")
			for _, w := range []string{"pm2 delete session-manager", "curl -fsS http://localhost:3001/health", "git checkout 9e4b7c21d0a3f5e8b6c1d2e3f4a5b6c7d8e9f0a1 --", "git grep -n -E"} {
				if !strings.Contains(sh, w) {
					t.Errorf("%s/%s: no bash block contains %q", c, lang, w)
				}
			}
		}
	}
}

// checkRawTables reports reporttest.TableProblems of md.
func checkRawTables(t *testing.T, name, md string) {
	t.Helper()
	for _, p := range reporttest.TableProblems(md) {
		t.Errorf("%s: %s", name, p)
	}
}
