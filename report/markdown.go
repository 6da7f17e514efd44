package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/pm2"
)

// sectionOrder is the order of the document's parts; each is one template
// file templates/<lang>/<name>.md.tmpl.
var sectionOrder = []string{"header", "findings", "context", "audit", "decision", "canonical", "procedure", "risks", "variants", "helpers", "checklist", "conclusions", "references"}

// dropOrder is the order in which detail sections are left out when the
// document is longer than Options.MaxBytes: the synthesized configuration
// first (the files themselves hold it), the header, findings, context and
// conclusions never.
var dropOrder = []string{"canonical", "audit", "helpers", "variants", "decision", "references", "checklist", "risks", "procedure"}

// shrinkSteps are the list limits tried, in order, when a document is too
// long.
var shrinkSteps = []int{100, 50, 20, 10, 5, 0}

// stepLimits gives the limits of one step: the findings table, the most
// important list, keeps four times as many rows as the other lists.
func stepLimits(step int) limits {
	if step < 0 {
		return limits{findings: -1, list: -1}
	}
	return limits{findings: 4 * step, list: step}
}

// renderer renders one document in one language.
type renderer struct {
	doc  *audit.Document
	opt  Options
	cat  *catalog
	tmpl *template.Template
	root string // commonRoot of the document
}

func newRenderer(doc *audit.Document, opt Options) (*renderer, error) {
	if doc == nil {
		return nil, errors.New("report: nil document")
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return nil, err
	}
	r := &renderer{doc: doc, opt: opt, cat: cat, root: commonRoot(doc)}
	t, err := template.New("report").Option("missingkey=error").Funcs(r.funcs()).
		ParseFS(templateFS, "templates/"+opt.Lang+"/*.md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("report: templates %s: %w", opt.Lang, err)
	}
	guardTemplates(t)
	r.tmpl = t
	return r, nil
}

func (r *renderer) funcs() template.FuncMap {
	c := r.cat
	safe := func(f func(string) string) func(string) md {
		return func(s string) md { return md(f(s)) }
	}
	safeList := func(f func(string) string) func([]string) md {
		return func(xs []string) md {
			out := make([]string, len(xs))
			for i, x := range xs {
				out[i] = f(x)
			}
			return md(strings.Join(out, ", "))
		}
	}
	return template.FuncMap{
		// Escaping, one function per output context (safe.go).
		"code":        safe(mdCode),
		"text":        safe(mdText),
		"cell":        safe(mdCell),
		"cellcode":    safe(mdCellCode),
		"cellmd":      func(s md) md { return md(cellPipes(string(s))) },
		"inline":      safe(mdInline),
		"item":        safe(mdListItem),
		"cellinline":  safe(mdCellInline),
		"fence":       func(lang, content string) md { return md(mdFence(lang, content)) },
		"html":        safe(htmlText),
		"htmlcomment": safe(htmlComment),
		"link":        func(text string, dest md) md { return md(mdLink(text, string(dest))) },
		"codelink":    func(text string, dest md) md { return md(mdCodeLink(text, string(dest))) },
		"linkpath":    safe(linkPath),
		"url":         safe(safeURL),
		"sh":          safe(shellQuote),
		"shjoin":      func(xs []string) md { return md(shellQuoteAll(xs)) },
		"shcomment":   safe(shellComment),
		"codes":       safeList(mdCode),
		"cellcodes":   safeList(mdCellCode),
		// include renders a named template to a string, to be passed to
		// fence: the fence is then longer than any backtick run of the
		// block, whatever it holds.
		"include": func(name string, data any) (string, error) {
			var buf bytes.Buffer
			if err := r.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
				return "", err
			}
			return buf.String(), nil
		},
		// Catalog texts are ours.
		"w": func(group, key string) (md, error) {
			s, err := c.word(group, key)
			return md(s), err
		},
		"p": func(key string, kv ...string) (md, error) {
			s, err := c.phrase(key, kv...)
			return md(s), err
		},
		// The counts of ids by severity ("1 advertencia, 1 nota").
		"sevcounts": func(bySev map[string]int) (md, error) {
			var out []string
			for _, s := range []struct{ sev, key string }{{"error", "errors"}, {"warning", "warnings"}, {"info", "notes"}} {
				if n := bySev[s.sev]; n > 0 {
					p, err := c.count(s.key, n)
					if err != nil {
						return "", err
					}
					out = append(out, p)
				}
			}
			return md(strings.Join(out, ", ")), nil
		},
		"letter": func(i int) md {
			if i >= 0 && i < 26 {
				return md(string(rune('A' + i)))
			}
			return md(strconv.Itoa(i + 1))
		},
		// Section numbers and references (numberSections).
		"num": func(section string) md { return md("§" + section + "§") },
		// Our ids (H1, F1...), joined.
		"ids": func(xs []string) md { return md(strings.Join(xs, ", ")) },
		// The arguments of pm2 start for one app, shell-quoted.
		"startargs": func(p procView) md { return md(startArgs(p)) },
		// wholefile deletes the app and starts its whole file.
		"wholefile": func(p procView) md { return md(wholeFileCommand(p, true)) },
		// pm2 <verb> <app> <flags...>, shell-quoted, the app addressed so
		// that PM2 cannot read its name as an option.
		"pm2": func(verb, app string, flags ...string) md { return md(pm2App(verb, app, flags...)) },
		// Helpers whose result still needs escaping.
		"startenv": func(p procView, env string) string {
			p.Env = env
			return "pm2 start " + startArgs(p)
		},
		"oneline": func(lines string) bool { return !strings.ContainsAny(lines, ",-") },
		"rel":     func(p string) string { return relTo(r.root, p) },
		"rloc":    func(p string, line int) string { return location(relTo(r.root, p), line) },
		"rels": func(xs []string) []string {
			out := make([]string, len(xs))
			for i, x := range xs {
				out[i] = relTo(r.root, x)
			}
			return out
		},
		"incd": inDir,
		"path": path.Join,
		"loc":  location,
		"join": strings.Join,
		"js":   jsString,
		"add":  func(a, b int) int { return a + b },
		"dir": func(p string) string {
			if i := strings.LastIndex(p, "/"); i >= 0 {
				return p[:i]
			}
			return "."
		},
		"base": func(p string) string { return p[strings.LastIndex(p, "/")+1:] },
		"short": func(sha string) string {
			if len(sha) > 12 {
				return sha[:12]
			}
			return sha
		},
		guardFunc: guardValue,
	}
}

// rendered is a document's parts rendered once for one list limit.
type rendered struct {
	v     *view
	parts map[string]string
}

// renderParts renders every part of the document with lists limited by
// lim. The parts do not depend on each other, so leaving some out later
// needs no new rendering.
func (r *renderer) renderParts(lim limits) (*rendered, error) {
	v, err := buildView(r.doc, r.opt, r.cat, lim)
	if err != nil {
		return nil, err
	}
	names := sectionOrder
	if !r.doc.Impact {
		names = []string{"noimpact"}
	}
	out := &rendered{v: v, parts: map[string]string{}}
	for _, name := range names {
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, name+".md.tmpl", v); err != nil {
			return nil, fmt.Errorf("report: section %s: %w", name, err)
		}
		out.parts[name] = strings.TrimSpace(buf.String())
	}
	return out, nil
}

// assemble joins the parts in order, without the skipped ones, and ends
// with the footer carrying the truncation note.
func (r *renderer) assemble(rd *rendered, skip map[string]bool, note string) (string, error) {
	var out strings.Builder
	names := sectionOrder
	if !r.doc.Impact {
		names = []string{"noimpact"}
	}
	for _, name := range names {
		s := rd.parts[name]
		if skip[name] || s == "" {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		out.WriteString(s)
	}
	v := *rd.v
	v.Truncated = md(note)
	body := numberSections(out.String(), rd.parts)
	out.Reset()
	out.WriteString(body)
	var buf bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&buf, "footer.md.tmpl", &v); err != nil {
		return "", fmt.Errorf("report: footer: %w", err)
	}
	out.WriteString("\n\n")
	out.WriteString(strings.TrimSpace(buf.String()))
	out.WriteString("\n")
	// Texts cite PM2's behaviours as docs/pm2-behaviour.md#<id>, a path
	// of auditbot's repository: a report is read elsewhere, so the links
	// point at the published document, each address written once.
	md := collapseBlankLines(out.String())
	if r.opt.Comment {
		// A pull request comment has a size budget: the §<id> citations
		// stay plain text there (each names its anchor in the document).
		return md, nil
	}
	return pm2.ReferenceBehaviours(md, pm2.BehaviourDocURL), nil
}

// numbered are the parts that carry a section number, in order.
var numbered = []string{"context", "audit", "decision", "canonical", "procedure", "risks", "variants", "helpers", "checklist", "conclusions", "references"}

// numberSections replaces the section tokens of the templates ({{num
// "procedure"}}) with the section's number: the sections the full
// document has, numbered without gaps (a shortened document keeps the
// numbers of the full one, and its note says what was left out).
func numberSections(s string, parts map[string]string) string {
	n := 0
	var kv []string
	for _, name := range numbered {
		num := "?"
		if parts[name] != "" {
			n++
			num = strconv.Itoa(n)
		}
		kv = append(kv, "§"+name+"§", num)
	}
	return strings.NewReplacer(kv...).Replace(s)
}

// collapseBlankLines keeps at most one blank line in a row outside fenced
// code, so conditional template parts leave no holes.
func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	fence := ""
	blank := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if fence == "" && strings.HasPrefix(t, "```") {
			fence = t[:len(t)-len(strings.TrimLeft(t, "`"))]
		} else if fence != "" && strings.HasPrefix(t, fence) && strings.Trim(t, "`") == "" {
			fence = ""
		}
		if t == "" && fence == "" {
			if blank {
				continue
			}
			blank = true
			out = append(out, "")
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// Markdown writes the canonization document of the change: the seed's
// sections 1-11 and a footer, in opt.Lang, each section filled from the
// Document and left out when it would be empty. With opt.MaxBytes > 0 the
// output is at most that many bytes: detail sections are left out in a
// fixed order (dropOrder), then long lists are cut, and a note says what
// was left out.
func Markdown(w io.Writer, doc *audit.Document, opt Options) error {
	opt, err := opt.normalize()
	if err != nil {
		return err
	}
	r, err := newRenderer(doc, opt)
	if err != nil {
		return err
	}
	rd, err := r.renderParts(limits{findings: -1, list: -1})
	if err != nil {
		return err
	}
	out, err := r.assemble(rd, nil, "")
	if err != nil {
		return err
	}
	if opt.MaxBytes > 0 && len(out) > opt.MaxBytes {
		out, err = r.shrink(rd)
		if err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, out)
	return err
}

// shrink renders the document within opt.MaxBytes. It keeps as many
// sections as it can (leaving them out in dropOrder), and for that number
// of sections the longest lists (all, then shrinkSteps) that fit. A last
// resort keeps only the header and the note, cut at a line boundary.
func (r *renderer) shrink(full *rendered) (string, error) {
	max := r.opt.MaxBytes
	drops := dropOrder
	if !r.doc.Impact {
		drops = nil
	}
	cache := map[int]*rendered{-1: full}
	try := func(k, step int) (string, bool, error) {
		lim := stepLimits(step)
		rd := cache[step]
		if rd == nil {
			var err error
			if rd, err = r.renderParts(lim); err != nil {
				return "", false, err
			}
			cache[step] = rd
		}
		skip := map[string]bool{}
		for _, s := range drops[:k] {
			skip[s] = true
		}
		note, err := r.note(drops[:k], lim)
		if err != nil {
			return "", false, err
		}
		out, err := r.assemble(rd, skip, note)
		return out, err == nil && len(out) <= max, err
	}
	// First pass: leave out at most the first two detail sections and keep
	// lists of at least 20 items; then anything, fewest sections first.
	passes := []struct {
		maxDrop int
		steps   []int
	}{
		{2, []int{-1, 100, 50, 20}},
		{len(drops), append([]int{-1}, shrinkSteps...)},
	}
	hopeless := map[int]bool{}
	for _, p := range passes {
		for k := 0; k <= p.maxDrop && k <= len(drops); k++ {
			for _, step := range p.steps {
				if _, seen := hopeless[step]; !seen {
					// Can this step fit at all, with every section left out?
					_, ok, err := try(len(drops), step)
					if err != nil {
						return "", err
					}
					hopeless[step] = !ok
				}
				if hopeless[step] {
					continue
				}
				out, ok, err := try(k, step)
				if err != nil {
					return "", err
				}
				if ok {
					return out, nil
				}
			}
		}
	}
	lim := limits{findings: 0, list: 0}
	note, err := r.note(drops, lim)
	if err != nil {
		return "", err
	}
	rd := cache[0]
	if rd == nil {
		if rd, err = r.renderParts(lim); err != nil {
			return "", err
		}
	}
	// The header with the note, else the note alone (the footer), else
	// the footer cut at a line boundary.
	withHeader := map[string]bool{"noimpact": true}
	noHeader := map[string]bool{"noimpact": true, "header": true}
	for _, s := range sectionOrder {
		if s != "header" {
			withHeader[s] = true
		}
		noHeader[s] = true
	}
	var out string
	for _, skip := range []map[string]bool{withHeader, noHeader} {
		if out, err = r.assemble(rd, skip, note); err != nil {
			return "", err
		}
		if len(out) <= max {
			return out, nil
		}
	}
	return cutLines(out, max), nil
}

// note says what a shortened document leaves out: the sections dropped
// and, when lists were limited, to how many items and how many findings
// the table does not show.
func (r *renderer) note(dropped []string, lim limits) (string, error) {
	max := strconv.Itoa(r.opt.MaxBytes)
	var msg []string
	if len(dropped) > 0 {
		var parts []string
		for _, s := range dropped {
			t, err := r.cat.word("section", s)
			if err != nil {
				return "", err
			}
			parts = append(parts, t)
		}
		p, err := r.cat.phrase("truncated_sections", "max", max, "sections", strings.Join(parts, "; "))
		if err != nil {
			return "", err
		}
		msg = append(msg, p)
	}
	if lim.list >= 0 {
		all := sortedFindings(r.doc.Findings)
		hidden := countIDs(all).Total() - countIDs(capped(all, lim.findings)).Total()
		p, err := r.cat.phrase("truncated_lists", "max", max, "n", strconv.Itoa(lim.list), "hidden", strconv.Itoa(hidden))
		if err != nil {
			return "", err
		}
		msg = append(msg, p)
	}
	return strings.Join(msg, " "), nil
}

// cutLines cuts s to at most max bytes at a line boundary (never inside a
// UTF-8 sequence).
func cutLines(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := s[:max]
	if i := strings.LastIndexByte(cut, '\n'); i >= 0 {
		return cut[:i+1]
	}
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut
}

// inDir prefixes a shell command with `cd <dir> &&`, unless dir is the
// repository root (".") where the command already runs.
func inDir(dir, cmd string) string {
	if dir == "." || dir == "" {
		return cmd
	}
	return "cd " + shellQuote(dir) + " && " + cmd
}
