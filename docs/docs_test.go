// Package docs holds the repository's developer documentation; its tests
// keep every claim in it traceable: each link and anchor in the
// documentation, the rule catalogs and a rendered report resolves, and
// no text cites a fact sheet that is not in this repository.
package docs

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/demo"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/report"
)

// root is the repository root, seen from this package's directory.
const root = ".."

// markdown parses GitHub-flavoured Markdown (tables, autolinks).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// link is one link of a Markdown document.
type link struct {
	dest string
	line int
}

// parsed is a Markdown document's headings' anchors and links.
type parsed struct {
	anchors map[string]bool
	links   []link
}

// parse reads src with goldmark and returns the GitHub anchors of its
// headings and every link destination (inline, reference and autolinks).
func parse(src []byte) parsed {
	doc := markdown.Parser().Parse(text.NewReader(src))
	p := parsed{anchors: map[string]bool{}}
	seen := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			a := githubAnchor(plainText(n, src))
			if k := seen[a]; k > 0 {
				p.anchors[fmt.Sprintf("%s-%d", a, k)] = true
			} else {
				p.anchors[a] = true
			}
			seen[a]++
		case *ast.Link:
			p.links = append(p.links, link{dest: string(n.Destination), line: lineOf(n, src)})
		case *ast.AutoLink:
			p.links = append(p.links, link{dest: string(n.URL(src)), line: lineOf(n, src)})
		case *ast.RawHTML, *ast.HTMLBlock:
			// <a id="x"> anchors would count here; the docs use none.
		}
		return ast.WalkContinue, nil
	})
	return p
}

// plainText is the text of a node as GitHub sees it for an anchor: the
// text of its inline children, code spans included without backticks.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
			case *ast.String:
				b.Write(c.Value)
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// githubAnchor is the id GitHub gives a heading: lower case, every
// character that is not a letter, digit, space, hyphen or underscore
// removed, spaces turned into hyphens.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// lineOf is the 1-based line of a node's first text, 0 when unknown.
func lineOf(n ast.Node, src []byte) int {
	for c := n; c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return bytes.Count(src[:t.Segment.Start], []byte("\n")) + 1
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return bytes.Count(src[:c.Lines().At(0).Start], []byte("\n")) + 1
		}
	}
	return 0
}

// checker follows links from documents of the repository.
type checker struct {
	t     *testing.T
	cache map[string]parsed
}

func newChecker(t *testing.T) *checker { return &checker{t: t, cache: map[string]parsed{}} }

// doc parses the repository file rel (slash-separated, from the root).
func (c *checker) doc(rel string) (parsed, bool) {
	if p, ok := c.cache[rel]; ok {
		return p, true
	}
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return parsed{}, false
	}
	p := parse(src)
	c.cache[rel] = p
	return p, true
}

// check follows every link of the Markdown src, which lives at the
// repository path from (its directory resolves relative links; "" for a
// text read outside the repository, whose relative links are not ours).
func (c *checker) check(name, from string, src []byte) {
	c.t.Helper()
	p := parse(src)
	for _, l := range p.links {
		if err := c.follow(from, p, l.dest); err != nil {
			c.t.Errorf("%s:%d: link %q: %v", name, l.line, l.dest, err)
		}
	}
}

// follow resolves one destination: an anchor of the same document, a
// repository file (and its anchor), or the published behaviour document.
// Other absolute URLs are not fetched.
func (c *checker) follow(from string, self parsed, dest string) error {
	if rest, ok := strings.CutPrefix(dest, pm2.BehaviourDocURL); ok {
		return c.target(pm2.BehaviourDoc, rest)
	}
	u, err := url.Parse(dest)
	if err != nil {
		return err
	}
	if u.Scheme != "" || u.Host != "" {
		return nil
	}
	if u.Path == "" {
		if u.Fragment != "" && !self.anchors[u.Fragment] {
			return fmt.Errorf("no heading with anchor #%s in this document", u.Fragment)
		}
		return nil
	}
	if from == "" {
		return nil // a report's links point into the audited repository
	}
	target := path.Clean(path.Join(path.Dir(from), u.Path))
	if target == ".." || strings.HasPrefix(target, "../") {
		return fmt.Errorf("points outside the repository")
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.Fragment
	}
	return c.target(target, frag)
}

// target checks that the repository path exists and, for a Markdown file
// and a "#fragment", that the file has that heading.
func (c *checker) target(rel, frag string) error {
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err != nil {
		return fmt.Errorf("%s does not exist", rel)
	}
	anchor := strings.TrimPrefix(frag, "#")
	if anchor == "" {
		return nil
	}
	if !strings.HasSuffix(rel, ".md") {
		return fmt.Errorf("anchor #%s into %s, which is not Markdown", anchor, rel)
	}
	p, ok := c.doc(rel)
	if !ok || !p.anchors[anchor] {
		return fmt.Errorf("%s has no heading with anchor #%s", rel, anchor)
	}
	return nil
}

// repoMarkdown lists the repository's own Markdown documents: everything
// but test data (reports of fixture repositories, case files).
func repoMarkdown(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".md") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLinksResolve follows every link and anchor in the repository's
// documents (README.md, docs/, CONTRIBUTING.md, audit/proof...), in the
// rule catalogs' texts as docs/rules.md and `auditbot rules` show them,
// and in the demo report in both languages; a dangling one fails.
func TestLinksResolve(t *testing.T) {
	c := newChecker(t)
	docs := repoMarkdown(t)
	for _, want := range []string{"README.md", "docs/rules.md", pm2.BehaviourDoc} {
		if !slices.Contains(docs, want) {
			t.Fatalf("%s not found among the repository's documents %v", want, docs)
		}
	}
	for _, d := range docs {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(d)))
		if err != nil {
			t.Fatal(err)
		}
		c.check(d, d, src)
	}
	// The catalogs' texts, with their behaviour tokens as links from the
	// repository root.
	for _, lang := range report.Languages() {
		for _, r := range rule.All() {
			tx, err := report.RuleTexts(lang, r.Meta().ID)
			if err != nil {
				t.Fatal(err)
			}
			for field, s := range map[string]string{"description": tx.Description, "remediation": tx.Remediation} {
				c.check(fmt.Sprintf("report/templates/%s/rules.yaml %s %s", lang, r.Meta().ID, field), "README.md",
					[]byte(pm2.LinkBehaviours(s, pm2.BehaviourDoc)))
			}
		}
	}
	// A rendered report: the demo, in both languages.
	doc := demoDocument(t)
	for _, lang := range report.Languages() {
		var buf bytes.Buffer
		if err := report.Markdown(&buf, doc, report.Options{Lang: lang, Now: time.Date(2026, 2, 25, 9, 30, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), pm2.BehaviourDocURL+"#") {
			t.Errorf("demo report (%s) links to no behaviour of %s", lang, pm2.BehaviourDoc)
		}
		c.check("demo report ("+lang+")", "", buf.Bytes())
	}
}

// demoDocument audits auditbot's built-in example with the real engine.
func demoDocument(t *testing.T) *audit.Document {
	t.Helper()
	ctx := context.Background()
	repo, err := demo.Build(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := audit.RunRange(ctx, repo, "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestBehaviourTokensKnown: every "§<id>" a catalog or template writes
// names a behaviour of docs/pm2-behaviour.md (an unknown one would be
// printed as it is, unlinked).
func TestBehaviourTokensKnown(t *testing.T) {
	var files []string
	for _, pattern := range []string{"report/templates/*/*"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 4 {
		t.Fatalf("catalogs not found: %v", files)
	}
	cited := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range pm2.BehaviourTokens(string(b)) {
			cited++
			if _, ok := pm2.LookupBehaviour(id); !ok {
				t.Errorf("%s cites §%s, which is not a behaviour in audit/pm2/behaviour.go", f, id)
			}
		}
	}
	if cited == 0 {
		t.Error("no catalog cites a behaviour: the token syntax changed?")
	}
}

// factSheet matches a citation of the fact sheet the project started
// from, which is not part of this repository.
var factSheet = regexp.MustCompile(`FACTS`)

// TestNoExternalFactCitations: no document, catalog, template, golden
// output or rendered report cites "FACTS" (a fact sheet outside this
// repository); behaviours are cited as docs/pm2-behaviour.md#<id>.
// audit/proof/FINDINGS.md is the one exception: it records where runs
// disagreed with that sheet.
func TestNoExternalFactCitations(t *testing.T) {
	exts := []string{".md", ".yaml", ".yml", ".tmpl", ".json", ".txt"}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "audit/proof/FINDINGS.md" || !slices.Contains(exts, filepath.Ext(p)) {
			return nil
		}
		if strings.HasPrefix(rel, "audit/proof/testdata/npm/") {
			return nil // PM2's lockfile
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if loc := factSheet.FindIndex(b); loc != nil {
			t.Errorf("%s:%d cites FACTS; cite docs/pm2-behaviour.md#<id> (audit/pm2/behaviour.go) instead",
				rel, bytes.Count(b[:loc[0]], []byte("\n"))+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := demoDocument(t)
	for _, lang := range report.Languages() {
		var buf bytes.Buffer
		if err := report.Markdown(&buf, doc, report.Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if factSheet.Match(buf.Bytes()) {
			t.Errorf("demo report (%s) cites FACTS", lang)
		}
	}
}

// TestGitHubAnchor pins the anchor algorithm on headings the documents
// use.
func TestGitHubAnchor(t *testing.T) {
	for in, want := range map[string]string{
		"kill-signal":                  "kill-signal",
		"The JSON document":            "the-json-document",
		"`auditbot report`":            "auditbot-report",
		"Speed and memory":             "speed-and-memory",
		"Reglas de auditbot: ¿qué?":    "reglas-de-auditbot-qué",
		"Three ways to use it (v1.2)":  "three-ways-to-use-it-v12",
		"snake_case stays, dots go .x": "snake_case-stays-dots-go-x",
	} {
		if got := githubAnchor(in); got != want {
			t.Errorf("githubAnchor(%q) = %q, want %q", in, got, want)
		}
	}
	p := parse([]byte("# A\n\n## A\n\n## `b` c\n\n[x](#a-1) [y](#b-c)\n"))
	for _, a := range []string{"a", "a-1", "b-c"} {
		if !p.anchors[a] {
			t.Errorf("anchor %q missing from %v", a, p.anchors)
		}
	}
	if len(p.links) != 2 {
		t.Errorf("links %v, want 2", p.links)
	}
}

// TestCheckerFailsOnDanglingLinks: the checker reports a missing file, a
// missing anchor (local, in another document, in the published behaviour
// document) and a path leaving the repository.
func TestCheckerFailsOnDanglingLinks(t *testing.T) {
	c := newChecker(t)
	self := parse([]byte("# Here\n"))
	for _, dest := range []string{
		"#nowhere",
		"no-such-file.md",
		"rules.md#no-such-rule",
		"../../outside.md",
		pm2.BehaviourDocURL + "#no-such-behaviour",
	} {
		if err := c.follow("docs/x.md", self, dest); err == nil {
			t.Errorf("follow(%q) = nil, want an error", dest)
		}
	}
	for _, dest := range []string{"#here", "rules.md", "pm2-behaviour.md#kill-signal", pm2.BehaviourDocURL + "#kill-signal", "https://example.com/x"} {
		if err := c.follow("docs/x.md", self, dest); err != nil {
			t.Errorf("follow(%q) = %v, want nil", dest, err)
		}
	}
}
