package ecosystem

// A small JavaScript/TypeScript lexer that knows only what it must to find
// brackets in code: it skips comments, string literals, template text and
// regular expression literals. It is used before parsing, to refuse inputs
// nested deeper than MaxDepth (the parsers are recursive and a deep enough
// input overflows the goroutine stack, which no recover can catch), and
// after parsing, to find in the original source where an expression or an
// object literal ends when positions come back through a source map.

// lexVisit is called for every code byte (outside comments, strings,
// template text and regular expressions) with the bracket depth before
// the byte; a word (identifier, keyword or number) is visited once, at
// its first byte, with c == 'a'. Returning false stops the walk.
type lexVisit func(i int, c byte, depth int) bool

// keywordsBeforeRegex are the words after which a slash starts a regular
// expression rather than a division.
var keywordsBeforeRegex = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true,
	"new": true, "delete": true, "void": true, "throw": true, "case": true,
	"do": true, "else": true, "yield": true, "await": true,
}

// parenAfterKeyword are the words whose parenthesis, once closed, is
// followed by a statement (so a slash after it starts a regex).
var parenAfterKeyword = map[string]bool{"if": true, "while": true, "for": true, "with": true}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// lexWalk walks src from start. Brackets are tracked on a stack so that
// the `}` closing a template substitution returns to template text.
func lexWalk(src string, start int, visit lexVisit) {
	type frame struct {
		open      byte // '(', '[', '{' or 't' for a template substitution
		stmtParen bool // a '(' after if/while/for/with
	}
	var stack []frame
	// regexOK: a slash here starts a regular expression.
	regexOK := true
	lastWord := ""
	inTemplate := false
	i := start
	n := len(src)
	for i < n {
		if inTemplate {
			// Template text until the closing backtick or `${`.
			for i < n {
				c := src[i]
				if c == '\\' {
					i += 2
					continue
				}
				if c == '`' {
					i++
					inTemplate = false
					regexOK = false
					break
				}
				if c == '$' && i+1 < n && src[i+1] == '{' {
					if !visit(i+1, '{', len(stack)) {
						return
					}
					stack = append(stack, frame{open: 't'})
					i += 2
					inTemplate = false
					regexOK = true
					break
				}
				i++
			}
			continue
		}
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '/' && i+1 < n && src[i+1] == '/':
			for i < n && src[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < n && src[i+1] == '*':
			i += 2
			for i+1 < n && !(src[i] == '*' && src[i+1] == '/') {
				i++
			}
			i += 2
			continue
		case c == '\'' || c == '"':
			i++
			for i < n && src[i] != c && src[i] != '\n' {
				if src[i] == '\\' {
					i++
				}
				i++
			}
			i++
			regexOK = false
			lastWord = ""
			continue
		case c == '`':
			i++
			inTemplate = true
			lastWord = ""
			continue
		case c == '/' && regexOK:
			i++
			inClass := false
			for i < n && src[i] != '\n' {
				ch := src[i]
				if ch == '\\' {
					i += 2
					continue
				}
				if ch == '[' {
					inClass = true
				} else if ch == ']' {
					inClass = false
				} else if ch == '/' && !inClass {
					break
				}
				i++
			}
			i++
			for i < n && isIdentByte(src[i]) {
				i++
			}
			regexOK = false
			lastWord = ""
			continue
		case isIdentByte(c):
			j := i
			for j < n && isIdentByte(src[j]) {
				j++
			}
			lastWord = src[i:j]
			regexOK = keywordsBeforeRegex[lastWord]
			if !visit(i, 'a', len(stack)) {
				return
			}
			i = j
			continue
		}
		if !visit(i, c, len(stack)) {
			return
		}
		switch c {
		case '(', '[', '{':
			stack = append(stack, frame{open: c, stmtParen: c == '(' && parenAfterKeyword[lastWord]})
			regexOK = true
		case ')', ']', '}':
			regexOK = c == '}'
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if top.open == 't' && c == '}' {
					inTemplate = true
				}
				if top.stmtParen {
					regexOK = true
				}
			}
		default:
			regexOK = true
		}
		lastWord = ""
		i++
	}
}

// recursiveWords are keywords that nest what follows them in the
// parsers' recursion (prefix operators and statements).
var recursiveWords = map[string]bool{
	"typeof": true, "new": true, "void": true, "delete": true, "await": true, "yield": true,
	"if": true, "else": true, "while": true, "for": true, "do": true, "with": true,
}

// nestingDepth returns the deepest bracket nesting of src and the offset
// where it is first exceeded past limit (-1 when it never is). It also
// stops, with tooComplex set, at a run of more than MaxOperators operators
// and recursive keywords with no separator (`,;` or a bracket) between
// them (for statement keywords, with no `;` or brace between them; for
// `else`, with no brace):
// chains such as `!!!!…`, `a=a=…`, `x=>x=>…` or `if(a)if(a)…`
// recurse in the parsers without any bracket (and goja parses arrow
// chains in quadratic time).
func nestingDepth(src string, limit int) (depth int, at int, tooComplex bool) {
	at = -1
	ops, stmts, elses := 0, 0, 0
	lexWalk(src, 0, func(i int, c byte, d int) bool {
		switch c {
		case '{', '}':
			ops, stmts, elses = 0, 0, 0
		case ';':
			ops, stmts = 0, 0
		case ',', '(', ')', '[', ']':
			ops = 0
		case '!', '~', '+', '-', '*', '/', '%', '=', '<', '>', '?', ':', '&', '|', '^':
			ops++
		case 'a':
			j := i
			for j < len(src) && isIdentByte(src[j]) {
				j++
			}
			if recursiveWords[src[i:j]] {
				ops++
				stmts++
			}
			if src[i:j] == "else" {
				elses++
			}
		}
		if ops > MaxOperators || stmts > MaxOperators || elses > MaxOperators {
			at, tooComplex = i, true
			return false
		}
		if c == '(' || c == '[' || c == '{' {
			if d+1 > depth {
				depth = d + 1
			}
			if d+1 > limit {
				at = i
				return false
			}
		}
		return true
	})
	return depth, at, tooComplex
}

// countBrackets counts every opening bracket byte of src, in code or not.
// The real nesting of src can never exceed it, whatever the lexer got
// wrong (see MaxBrackets).
func countBrackets(src string) int {
	n := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '(', '[', '{':
			n++
		}
	}
	return n
}

// matchClose returns the offset of the bracket closing the one at open,
// or -1.
func matchClose(src string, open int) int {
	res := -1
	base := -1
	lexWalk(src, open, func(i int, c byte, d int) bool {
		if base < 0 {
			base = d
			return true
		}
		if (c == ')' || c == ']' || c == '}') && d == base+1 {
			res = i
			return false
		}
		return true
	})
	return res
}

// exprEnd returns the offset just past the expression starting at start:
// up to the first `,` or `;` at its own level, a bracket closing an outer
// level, or a line end at its own level.
func exprEnd(src string, start int) int {
	end := len(src)
	base := -1
	last := start
	lexWalk(src, start, func(i int, c byte, d int) bool {
		if base < 0 {
			base = d
		}
		if d == base && (c == ',' || c == ';') {
			end = i
			return false
		}
		if d == base && (c == ')' || c == ']' || c == '}') {
			end = i
			return false
		}
		// A line break at the expression's own level ends it unless the
		// next code continues it (an operator at the start of the line is
		// rare in configs; we stop at the line).
		for k := last; k < i; k++ {
			if src[k] == '\n' && d == base && k > start {
				end = k
				return false
			}
		}
		last = i + 1
		return true
	})
	for end > start && (src[end-1] == ' ' || src[end-1] == '\t' || src[end-1] == '\r' || src[end-1] == '\n') {
		end--
	}
	return end
}
