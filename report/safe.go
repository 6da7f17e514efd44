package report

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Output safety. Every value that comes from the audited repository (app
// names, file names, option values, script names, environment names,
// source lines, commit subjects, branch names, deploy commands, rule
// messages that quote them) reaches the report only through one escaping
// function per output context, exposed to the templates as functions:
//
//	context                 template func     Go function
//	Markdown prose          text              mdText
//	code span               code              mdCode
//	fenced code block       fence             mdFence (fence longer than any backtick run)
//	table cell              cell, cellcode    mdCell, mdCellCode
//	message with `spans`    inline            mdInline
//	link text / target      link, linkpath,   mdLink, linkPath, safeURL
//	                        url
//	HTML element text       html              htmlText
//	HTML comment            htmlcomment       htmlComment
//	shell word              sh, shjoin        shellQuote
//	shell comment           shcomment         shellComment
//
// The templates cannot print anything else: every printing action gets a
// final guard (see guardTemplates) that accepts only the md type these
// functions return, numbers and booleans, and fails the rendering on a
// plain string. A value made safe in Go and stored in the view has the md
// type too.
//
//   - mdText escapes prose: Markdown punctuation is backslash-escaped, < > &
//     become entities (no raw HTML), newlines become spaces (a value can
//     never start a new block), @mentions and #123 references are broken
//     with a zero-width space so GitHub neither notifies anyone nor links
//     an issue, and so are "scheme://" and "www." so no autolink is made.
//   - mdCode writes an inline code span whose backtick fence is longer than
//     any backtick run inside the value.
//   - mdFence writes a fenced code block whose fence is longer than any
//     backtick run inside the content.
//   - mdCell / mdCellCode make a value safe inside a table cell: pipes are
//     escaped (also inside code spans, as GFM requires) and newlines
//     removed.
//   - mdInline keeps the `code` spans a rule message contains (re-emitted
//     through mdCode) and escapes the rest as prose.
//   - shellQuote makes one bash word of a value (mvdan.cc/sh's quoting):
//     control characters and line breaks become $'\n' escapes, so a value
//     can never add a line or a command to a block people copy.

// md is text already made safe for the place it is printed: the result
// of one of the escaping functions, or template text. Only md values (and
// numbers) can be printed by a template.
type md string

// zwsp is a zero-width space: inserted after @ and # it stops GitHub from
// turning @user, @org/team and #123 into mentions and references.
const zwsp = "\u200b"

// mdText escapes s for use as Markdown prose on one line. The value is
// treated as if it started a line (where "- ", "1. " or "#" would open a
// block).
func mdText(s string) string { return escapeText(s, true) }

// escapeText escapes prose; lineStart says whether s may begin a line.
func escapeText(s string, lineStart bool) string {
	s = oneLine(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	atLineStart := lineStart
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '|', '~', '!', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '@':
			b.WriteString("@" + zwsp)
		case ':':
			// "scheme://" would be made an autolink (GFM extension).
			b.WriteRune(r)
			if strings.HasPrefix(s[i+1:], "//") {
				b.WriteString(zwsp)
			}
		case 'w', 'W':
			// "www." would be made an autolink too.
			b.WriteRune(r)
			if len(s) >= i+4 && strings.EqualFold(s[i:i+4], "www.") {
				b.WriteString(zwsp)
			}
		case '#':
			b.WriteString("\\#" + zwsp)
		case '-', '+', '=':
			if atLineStart {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.', ')':
			// "1. text" or "1) text" at the start would open a list.
			if lineStart && i > 0 && allDigits(s[:i]) && (i+1 == len(s) || s[i+1] == ' ') {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		if r != ' ' {
			atLineStart = false
		}
	}
	return b.String()
}

func allDigits(s string) bool {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// oneLine replaces line breaks and other control characters with spaces
// and invalid UTF-8 with U+FFFD.
func oneLine(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			if cur > best {
				best = cur
			}
		} else {
			cur = 0
		}
	}
	return best
}

// mdCode writes s as an inline code span that s cannot close.
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdFence writes content as a fenced code block tagged lang. The fence is
// longer than any backtick run in content, so no line of it can close the
// block early.
func mdFence(lang, content string) string {
	if !utf8.ValidString(content) {
		content = strings.ToValidUTF8(content, "\uFFFD")
	}
	content = strings.ReplaceAll(content, "\r\n", "\n")
	content = strings.ReplaceAll(content, "\r", "\n")
	content = strings.TrimRight(content, "\n")
	n := longestRun(content, '`') + 1
	if n < 3 {
		n = 3
	}
	fence := strings.Repeat("`", n)
	return fence + lang + "\n" + content + "\n" + fence
}

// mdCell escapes prose for a table cell.
func mdCell(s string) string { return mdText(s) }

// mdCellCode writes a code span for a table cell: GFM splits cells on
// pipes even inside code spans unless they are backslash-escaped, and its
// cell splitter removes that backslash again, so every pipe of the value
// gets one.
func mdCellCode(s string) string {
	return strings.ReplaceAll(mdCode(s), "|", `\|`)
}

// mdInline renders a message that may quote values in `code` spans: each
// span is re-emitted with mdCode, everything else escaped with mdText.
// Unbalanced backticks make the whole message prose.
func mdInline(s string) string { return inline(s, mdCode) }

// mdCellInline is mdInline for a table cell.
func mdCellInline(s string) string { return inline(s, mdCellCode) }

func inline(s string, code func(string) string) string {
	return inlineSpans(flattenFences(s), code, true)
}

// inlineSpans renders text whose `code` spans are re-emitted with code;
// lineStart tells whether s starts the output line.
func inlineSpans(s string, code func(string) string, lineStart bool) string {
	s = oneLine(s)
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 { // odd number of backticks
		return escapeText(s, lineStart)
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			if p != "" {
				b.WriteString(code(p))
			}
			continue
		}
		b.WriteString(escapeText(p, lineStart && i == 0))
	}
	return b.String()
}

// htmlText escapes s for the inside of an HTML element such as <summary>
// (where Markdown is not processed), with mentions broken.
func htmlText(s string) string {
	s = html.EscapeString(oneLine(s))
	s = strings.ReplaceAll(s, "@", "@"+zwsp)
	s = strings.ReplaceAll(s, "://", ":"+zwsp+"//")
	return strings.ReplaceAll(s, "#", "#"+zwsp)
}

// linkPath escapes a repository-relative path for a link destination.
// A colon is escaped too: a directory named "javascript:x" would
// otherwise make the relative link an absolute URL of that scheme.
func linkPath(p string) string {
	u := (&url.URL{Path: oneLine(p)}).EscapedPath()
	r := strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20", "`", "%60", "\\", "%5C", ":", "%3A")
	return r.Replace(u)
}

// mdLink writes a link with escaped text and destination.
func mdLink(text, dest string) string {
	return "[" + mdText(text) + "](" + dest + ")"
}

// mdCodeLink writes a link whose text is a code span.
func mdCodeLink(text, dest string) string {
	return "[" + mdCode(text) + "](" + dest + ")"
}

// safeURL returns a link destination for a documentation URL: an http(s)
// URL with no characters that could end the link, or "" when it is not
// one (the template then prints no link).
func safeURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" {
		return ""
	}
	if strings.ContainsAny(u, " \t\n\r<>()`\"'\\") {
		return ""
	}
	return u
}

// cellPipes makes Markdown already made safe by these helpers safe inside
// a table cell: every pipe not yet escaped gets a backslash (GFM removes it
// again when it splits the row, also inside code spans).
func cellPipes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// fencedBlock matches a fenced code block of a catalog text (a rule's
// remediation): its info string and its lines.
var fencedBlock = regexp.MustCompile("(?s)```([A-Za-z0-9_-]*)\\n(.*?)\\n?```")

// flattenFences turns each fenced code block of s into one code span, for
// places that hold a single line (a table cell, a list item): the block's
// lines joined by spaces, without whole-line `//` or `#` comments, which
// would swallow what follows them on one line.
func flattenFences(s string) string {
	if !strings.Contains(s, "```") {
		return s
	}
	return fencedBlock.ReplaceAllStringFunc(s, func(m string) string {
		sub := fencedBlock.FindStringSubmatch(m)
		var kept []string
		for _, l := range strings.Split(sub[2], "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "# ") {
				continue
			}
			kept = append(kept, l)
		}
		if len(kept) == 0 {
			return ""
		}
		return "`" + strings.ReplaceAll(strings.Join(kept, " "), "`", "'") + "`"
	})
}

// mdListItem renders a catalog text of paragraphs and fenced code blocks
// as the body of a numbered list item: the first paragraph inline, the
// rest as blocks indented under the item, so code keeps its lines.
func mdListItem(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var blocks []string
	rest := s
	for {
		loc := fencedBlock.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		for _, p := range strings.Split(rest[:loc[0]], "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				blocks = append(blocks, mdInline(p))
			}
		}
		blocks = append(blocks, mdFence(rest[loc[2]:loc[3]], rest[loc[4]:loc[5]]))
		rest = rest[loc[1]:]
	}
	for _, p := range strings.Split(rest, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			blocks = append(blocks, mdInline(p))
		}
	}
	const indent = "   "
	var b strings.Builder
	for i, blk := range blocks {
		if i > 0 {
			b.WriteString("\n\n")
			blk = indent + strings.ReplaceAll(blk, "\n", "\n"+indent)
		}
		b.WriteString(blk)
	}
	return b.String()
}

// shellQuote makes s one bash word that expands to s: repository values
// (app names, paths, environment names) appear in commands people copy
// and run. The quoting is mvdan.cc/sh's: words that need none stay as
// they are, control characters and line breaks (also U+2028, U+0085)
// become $'\n'-style escapes, so the word is always on one line. NUL
// cannot be in a command's argument and is dropped.
func shellQuote(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		// Not reached without NUL bytes; never print the value unquoted.
		return "''"
	}
	return q
}

// shellQuoteAll quotes each value and joins them with spaces.
func shellQuoteAll(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = shellQuote(x)
	}
	return strings.Join(out, " ")
}

// shellComment makes s the text of a bash comment: one line, without
// control characters, so nothing after it becomes a command.
func shellComment(s string) string { return oneLine(s) }

// htmlComment makes s the text of an HTML comment (a marker): one line,
// and no "-", "<", ">" or "&" that could end the comment or start a tag.
func htmlComment(s string) string {
	return strings.NewReplacer("-", "&#45;", "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(oneLine(s))
}

// guardFunc is the name of the function guardTemplates appends to every
// printing action.
const guardFunc = "mustBeSafe"

// guardTemplates appends guardFunc to the pipeline of every action that
// prints (as html/template adds its escapers): a repository value printed
// without an escaping function then fails the rendering instead of
// reaching the report. Constant text ({{"---"}}) is left alone.
func guardTemplates(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil && tt.Tree.Root != nil {
			guardNode(tt.Tree.Root)
		}
	}
}

func guardNode(n parse.Node) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			guardNode(c)
		}
	case *parse.ActionNode:
		p := x.Pipe
		if p == nil || len(p.Decl) > 0 || len(p.Cmds) == 0 {
			return
		}
		last := p.Cmds[len(p.Cmds)-1]
		if len(p.Cmds) == 1 && len(last.Args) == 1 {
			switch last.Args[0].(type) {
			case *parse.StringNode, *parse.NumberNode, *parse.BoolNode:
				return
			}
		}
		if len(last.Args) == 1 {
			if id, ok := last.Args[0].(*parse.IdentifierNode); ok && id.Ident == guardFunc {
				return // already guarded (templates are shared by name)
			}
		}
		p.Cmds = append(p.Cmds, &parse.CommandNode{
			NodeType: parse.NodeCommand,
			Pos:      p.Pos,
			Args:     []parse.Node{parse.NewIdentifier(guardFunc).SetPos(p.Pos)},
		})
	case *parse.IfNode:
		guardNode(x.List)
		guardNode(x.ElseList)
	case *parse.RangeNode:
		guardNode(x.List)
		guardNode(x.ElseList)
	case *parse.WithNode:
		guardNode(x.List)
		guardNode(x.ElseList)
	}
}

// guardValue is what a template may print: md (escaped), numbers and
// booleans. A plain string is a value that skipped escaping.
func guardValue(v any) (md, error) {
	switch x := v.(type) {
	case md:
		return x, nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return md(fmt.Sprint(x)), nil
	case string:
		return "", fmt.Errorf("unescaped value %q: print it through an escaping function (code, text, sh, ...)", truncate(x, 40))
	}
	return "", fmt.Errorf("value of type %T cannot be printed: print it through an escaping function", v)
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
