package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
)

// sectionOrder is the order of the document's parts; each is one template
// file templates/<lang>/<name>.md.tmpl.
var sectionOrder = []string{"header", "findings", "s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", "s11"}

// dropOrder is the order in which detail sections are left out when the
// document is longer than Options.MaxBytes: the synthesized configuration
// first (the files themselves hold it), the header, findings, context and
// conclusions never.
var dropOrder = []string{"s04", "s02", "s08", "s07", "s03", "s11", "s09", "s06", "s05"}

// shrinkSteps are the list limits tried, in order, after every droppable
// section is gone.
var shrinkSteps = []int{100, 50, 20, 10, 5, 0}

// renderer renders one document in one language.
type renderer struct {
	doc  *audit.Document
	opt  Options
	cat  *catalog
	tmpl *template.Template
}

func newRenderer(doc *audit.Document, opt Options) (*renderer, error) {
	if doc == nil {
		return nil, errors.New("report: nil document")
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return nil, err
	}
	r := &renderer{doc: doc, opt: opt, cat: cat}
	t, err := template.New("report").Option("missingkey=error").Funcs(r.funcs()).
		ParseFS(templateFS, "templates/"+opt.Lang+"/*.md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("report: templates %s: %w", opt.Lang, err)
	}
	r.tmpl = t
	return r, nil
}

func (r *renderer) funcs() template.FuncMap {
	c := r.cat
	return template.FuncMap{
		"code":       mdCode,
		"text":       mdText,
		"cell":       mdCell,
		"cellcode":   mdCellCode,
		"cellmd":     cellPipes,
		"inline":     mdInline,
		"cellinline": mdCellInline,
		"fence":      mdFence,
		"html":       htmlText,
		"link":       mdLink,
		"codelink":   mdCodeLink,
		"linkpath":   linkPath,
		"sh":         shellQuote,
		"w":          c.word,
		"p":          c.phrase,
		"loc": func(p string, line int) string {
			if line > 0 {
				return p + ":" + strconv.Itoa(line)
			}
			return p
		},
		"join": strings.Join,
		"js":   jsString,
		"shjoin": func(xs []string) string {
			out := make([]string, len(xs))
			for i, x := range xs {
				out[i] = shellQuote(x)
			}
			return strings.Join(out, " ")
		},
		"letter": func(i int) string {
			if i >= 0 && i < 26 {
				return string(rune('A' + i))
			}
			return strconv.Itoa(i + 1)
		},
		"url": safeURL,
		"fenceOf": func(vals ...string) string {
			n := 2
			for _, v := range vals {
				if r := longestRun(v, '`'); r > n {
					n = r
				}
			}
			return strings.Repeat("`", n+1)
		},
		"add": func(a, b int) int { return a + b },
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
		"codes": func(xs []string) string {
			out := make([]string, len(xs))
			for i, x := range xs {
				out[i] = mdCode(x)
			}
			return strings.Join(out, ", ")
		},
		"cellcodes": func(xs []string) string {
			out := make([]string, len(xs))
			for i, x := range xs {
				out[i] = mdCellCode(x)
			}
			return strings.Join(out, ", ")
		},
	}
}

// render writes the document with the given sections left out and lists
// limited by lim, plus the truncation note when there is one.
func (r *renderer) render(skip map[string]bool, lim limits, note string) (string, error) {
	v, err := buildView(r.doc, r.opt, r.cat, lim)
	if err != nil {
		return "", err
	}
	v.Truncated = note
	var out bytes.Buffer
	names := sectionOrder
	if !r.doc.Impact {
		names = []string{"noimpact"}
	}
	for _, name := range names {
		if skip[name] {
			continue
		}
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, name+".md.tmpl", v); err != nil {
			return "", fmt.Errorf("report: section %s: %w", name, err)
		}
		s := strings.TrimSpace(buf.String())
		if s == "" {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		out.WriteString(s)
	}
	var buf bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&buf, "footer.md.tmpl", v); err != nil {
		return "", fmt.Errorf("report: footer: %w", err)
	}
	out.WriteString("\n\n")
	out.WriteString(strings.TrimSpace(buf.String()))
	out.WriteString("\n")
	return collapseBlankLines(out.String()), nil
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
	all := limits{findings: -1, list: -1}
	out, err := r.render(nil, all, "")
	if err != nil {
		return err
	}
	if opt.MaxBytes > 0 && len(out) > opt.MaxBytes {
		out, err = r.shrink()
		if err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, out)
	return err
}

// shrink renders the document within opt.MaxBytes.
func (r *renderer) shrink() (string, error) {
	max := r.opt.MaxBytes
	skip := map[string]bool{}
	var dropped []string
	note := func(lim limits) (string, error) {
		var parts []string
		for _, s := range dropped {
			t, err := r.cat.word("section", s)
			if err != nil {
				return "", err
			}
			parts = append(parts, t)
		}
		var msg []string
		if len(parts) > 0 {
			p, err := r.cat.phrase("truncated_sections", "max", strconv.Itoa(max), "sections", strings.Join(parts, "; "))
			if err != nil {
				return "", err
			}
			msg = append(msg, p)
		}
		if lim.list >= 0 {
			hidden := len(r.doc.Findings) - lim.findings
			if hidden < 0 {
				hidden = 0
			}
			p, err := r.cat.phrase("truncated_lists", "max", strconv.Itoa(max), "n", strconv.Itoa(lim.list), "hidden", strconv.Itoa(hidden))
			if err != nil {
				return "", err
			}
			msg = append(msg, p)
		}
		return strings.Join(msg, " "), nil
	}
	all := limits{findings: -1, list: -1}
	if !r.doc.Impact {
		dropped = nil
	} else {
		for _, s := range dropOrder {
			skip[s] = true
			dropped = append(dropped, s)
			n, err := note(all)
			if err != nil {
				return "", err
			}
			out, err := r.render(skip, all, n)
			if err != nil {
				return "", err
			}
			if len(out) <= max {
				return out, nil
			}
		}
	}
	for _, step := range shrinkSteps {
		lim := limits{findings: step, list: step}
		n, err := note(lim)
		if err != nil {
			return "", err
		}
		out, err := r.render(skip, lim, n)
		if err != nil {
			return "", err
		}
		if len(out) <= max {
			return out, nil
		}
	}
	// Last resort: header, note and footer only, cut at a line boundary.
	lim := limits{findings: 0, list: 0}
	n, err := note(lim)
	if err != nil {
		return "", err
	}
	minimal := map[string]bool{}
	for _, s := range sectionOrder {
		if s != "header" {
			minimal[s] = true
		}
	}
	out, err := r.render(minimal, lim, n)
	if err != nil {
		return "", err
	}
	return cutLines(out, max), nil
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
