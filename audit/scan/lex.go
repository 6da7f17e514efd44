package scan

// This file is a small JavaScript/TypeScript tokenizer. It is not a parser:
// it only knows enough of the lexical grammar to tell code from comments,
// strings, template literals and regular expression literals, so that the
// matchers in file.go look at code tokens and never at text that merely
// looks like code.
//
// Known limits, all of which recover at the next line break:
//   - Regex versus division is decided from the previous token (the usual
//     heuristic): after `)`, `]`, `}`, an identifier (other than keywords
//     such as return/typeof/case), a number or a string, `/` is division;
//     elsewhere it starts a regex. `if (x) /re/.test(s)` is therefore read as
//     divisions.
//   - JSX text is read as code; an apostrophe in JSX text (`<p>Don't</p>`)
//     opens a string that ends at the line break.
//   - Quoted strings and regex literals end at an unescaped line break, as in
//     the language; unterminated block comments and template literals run to
//     the end of the file.
//   - Only '\n' counts as a line break for line numbers.

type tokKind uint8

const (
	tIdent tokKind = iota + 1
	tNum
	tStr   // quoted string, or a template literal without substitutions
	tTmpl  // one chunk of a template literal that has substitutions
	tPunct // punctuator
	tRegex // regular expression literal
)

// token is one lexical token. For tStr and tTmpl, vs:ve is the content
// between the delimiters; for the others it equals start:end.
type token struct {
	kind       tokKind
	start, end int32
	vs, ve     int32
	line       int32
}

// span is a comment: its text (delimiters included) and first line.
type span struct {
	start, end int32
	line       int32
}

// punctuators, longest first within each leading byte so that greedy
// matching works.
var punctuators = []string{
	">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
	"=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=",
	"*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**",
}

// punctByFirst indexes punctuators by their first byte.
var punctByFirst = func() (t [256][]string) {
	for _, p := range punctuators {
		t[p[0]] = append(t[p[0]], p)
	}
	return t
}()

// regexKeywords are identifiers after which a slash starts a regex.
var regexKeywords = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true,
	"new": true, "delete": true, "void": true, "throw": true, "case": true,
	"do": true, "else": true, "yield": true, "await": true,
}

// lexer holds reusable buffers; one per goroutine.
type lexer struct {
	src      []byte
	toks     []token
	comments []span
	tmpl     []int // brace depth for each open template substitution
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '\\'
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lex tokenizes src, reusing l's buffers. It never fails: malformed input
// yields some token stream, and every loop advances at least one byte.
func (l *lexer) lex(src []byte) {
	l.src = src
	if want := len(src) / 5; cap(l.toks) < want { // about one token per 5 bytes of code
		l.toks = make([]token, 0, want)
	}
	l.toks = l.toks[:0]
	l.comments = l.comments[:0]
	l.tmpl = l.tmpl[:0]
	n := len(src)
	i := 0
	line := int32(1)
	if n >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF { // UTF-8 byte order mark
		i = 3
	}
	if n >= i+2 && src[i] == '#' && src[i+1] == '!' { // hashbang
		for i < n && src[i] != '\n' {
			i++
		}
	}
	for i < n {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '/' && i+1 < n && src[i+1] == '/':
			s := i
			for i < n && src[i] != '\n' {
				i++
			}
			l.comments = append(l.comments, span{int32(s), int32(i), line})
		case c == '/' && i+1 < n && src[i+1] == '*':
			s, sl := i, line
			i += 2
			for i < n && !(src[i] == '*' && i+1 < n && src[i+1] == '/') {
				if src[i] == '\n' {
					line++
				}
				i++
			}
			i += 2
			if i > n {
				i = n
			}
			l.comments = append(l.comments, span{int32(s), int32(i), sl})
		case c == '\'' || c == '"':
			s, sl := i, line
			i++
			for i < n && src[i] != c && src[i] != '\n' {
				if src[i] == '\\' && i+1 < n {
					i++
					if src[i] == '\r' && i+1 < n && src[i+1] == '\n' {
						i++
					}
					if src[i] == '\n' {
						line++
					}
				}
				i++
			}
			ve := i
			if i < n && src[i] == c {
				i++
			}
			l.toks = append(l.toks, token{tStr, int32(s), int32(i), int32(s + 1), int32(ve), sl})
		case c == '`':
			i, line = l.template(i, i+1, line, true)
		case c == '}' && len(l.tmpl) > 0 && l.tmpl[len(l.tmpl)-1] == 0:
			l.tmpl = l.tmpl[:len(l.tmpl)-1]
			i, line = l.template(i, i+1, line, false)
		case isIdentStart(c):
			s := i
			for i < n && isIdentPart(src[i]) {
				i++
			}
			l.toks = append(l.toks, token{tIdent, int32(s), int32(i), int32(s), int32(i), line})
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(src[i+1])):
			s := i
			hex := c == '0' && i+1 < n && src[i+1]|0x20 == 'x'
			for i < n {
				d := src[i]
				if isIdentPart(d) || d == '.' {
					i++
					continue
				}
				if (d == '+' || d == '-') && !hex && src[i-1]|0x20 == 'e' {
					i++
					continue
				}
				break
			}
			l.toks = append(l.toks, token{tNum, int32(s), int32(i), int32(s), int32(i), line})
		case c == '/' && l.regexAllowed():
			s := i
			i++
			inClass := false
			for i < n && src[i] != '\n' {
				d := src[i]
				if d == '\\' && i+1 < n && src[i+1] != '\n' {
					i += 2
					continue
				}
				if d == '[' {
					inClass = true
				} else if d == ']' {
					inClass = false
				} else if d == '/' && !inClass {
					i++
					break
				}
				i++
			}
			for i < n && isIdentPart(src[i]) { // flags
				i++
			}
			l.toks = append(l.toks, token{tRegex, int32(s), int32(i), int32(s), int32(i), line})
		default:
			s := i
			w := 1
			for _, p := range punctByFirst[c] {
				if len(p) <= n-i && string(src[i:i+len(p)]) == p {
					if p == "?." && i+2 < n && isDigit(src[i+2]) {
						continue // a ? .5 : b
					}
					w = len(p)
					break
				}
			}
			i += w
			if len(l.tmpl) > 0 && w == 1 {
				if c == '{' {
					l.tmpl[len(l.tmpl)-1]++
				} else if c == '}' {
					l.tmpl[len(l.tmpl)-1]--
				}
			}
			l.toks = append(l.toks, token{tPunct, int32(s), int32(i), int32(s), int32(i), line})
		}
	}
}

// template lexes one chunk of a template literal starting at content
// offset i (after '`' or after the '}' closing a substitution). It emits
// a tStr when a whole literal has no substitution, tTmpl chunks otherwise,
// and pushes a substitution on '${'.
func (l *lexer) template(open, i int, line int32, head bool) (int, int32) {
	src, n := l.src, len(l.src)
	s, sl := i, line
	for i < n {
		d := src[i]
		if d == '\\' && i+1 < n {
			if src[i+1] == '\n' {
				line++
			}
			i += 2
			continue
		}
		if d == '\n' {
			line++
		}
		if d == '`' {
			kind := tTmpl
			if head {
				kind = tStr
			}
			l.toks = append(l.toks, token{kind, int32(open), int32(i + 1), int32(s), int32(i), sl})
			return i + 1, line
		}
		if d == '$' && i+1 < n && src[i+1] == '{' {
			l.toks = append(l.toks, token{tTmpl, int32(open), int32(i + 2), int32(s), int32(i), sl})
			l.tmpl = append(l.tmpl, 0)
			return i + 2, line
		}
		i++
	}
	kind := tTmpl
	if head {
		kind = tStr
	}
	l.toks = append(l.toks, token{kind, int32(open), int32(n), int32(s), int32(n), sl})
	return n, line
}

// regexAllowed reports whether a '/' at the current position starts a
// regular expression literal, judging from the previous token.
func (l *lexer) regexAllowed() bool {
	if len(l.toks) == 0 {
		return true
	}
	t := l.toks[len(l.toks)-1]
	switch t.kind {
	case tTmpl:
		return l.src[t.end-1] == '{' // just after "${"
	case tNum, tStr, tRegex:
		return false
	case tIdent:
		return regexKeywords[string(l.src[t.start:t.end])]
	}
	switch string(l.src[t.start:t.end]) {
	case ")", "]", "}", "++", "--":
		return false
	}
	return true
}
