package scan

import "bytes"

// Load is one module a source file loads: require('x'), import ... from
// 'x', import 'x', export ... from 'x', or import('x').
type Load struct {
	// Spec is the specifier as written; for a computed one, the static
	// text before the computed part ("./routes/" for
	// require('./routes/' + name)), "" when there is none.
	Spec string
	// Line is 1-based.
	Line int
	// Computed is true when the specifier is decided at run time
	// (require(name), import(`./${x}`), require('./a/' + b)).
	Computed bool
	// Text is the source line, trimmed and shortened.
	Text string
}

// loadAnchors: a file with none of these loads no module.
var loadAnchors = [][]byte{[]byte("require"), []byte("import"), []byte("export")}

func mayLoad(src []byte) bool {
	for _, a := range loadAnchors {
		if bytes.Contains(src, a) {
			return true
		}
	}
	return false
}

// Module scans one JavaScript or TypeScript source file as File does and
// also returns the modules it loads, in source order. Type-only imports
// and exports (`import type`, `export type`), which TypeScript erases, and
// require.resolve are not loads. Like File it never executes or parses
// the file: it reads the tokens of lex.go.
func Module(path string, src []byte) ([]Evidence, []Load) {
	var s fileScanner
	if !mayLoad(src) {
		return s.file(path, src, false), nil
	}
	ev := s.scanAll(path, src, false)
	return ev, s.loads()
}

// loads lists the module loads of the lexed file.
func (s *fileScanner) loads() []Load {
	toks := s.lx.toks
	var out []Load
	for i := range toks {
		if toks[i].kind != tIdent || s.isMember(i-1) {
			continue
		}
		switch string(s.text(i)) {
		case "require":
			if s.isP(i+1, "(") {
				out = s.callLoad(out, i, i+1)
			}
		case "import":
			switch {
			case s.isP(i+1, "("):
				out = s.callLoad(out, i, i+1)
			case s.isStr(i + 1):
				out = s.staticLoad(out, i, i+1)
			case s.isI(i+1, "type") && !s.isI(i+2, "from") && !s.isP(i+2, ","):
				// import type { X } from './x': erased.
			case s.isKind(i+1, tIdent) || s.isP(i+1, "{") || s.isP(i+1, "*"):
				if j := s.fromClause(i + 1); j >= 0 {
					out = s.staticLoad(out, i, j)
				}
			}
		case "export":
			if s.isI(i+1, "type") {
				continue
			}
			if s.isP(i+1, "{") || s.isP(i+1, "*") {
				if j := s.fromClause(i + 1); j >= 0 {
					out = s.staticLoad(out, i, j)
				}
			}
		}
	}
	return out
}

// fromClause returns the index of the string after `from` in an import or
// export clause starting at j, or -1. It stops at a statement end.
func (s *fileScanner) fromClause(j int) int {
	for n := 0; n < 64 && j < len(s.lx.toks); n++ {
		switch {
		case s.isP(j, "{"):
			j = s.closeOf(j) + 1
			continue
		case s.isI(j, "from") && s.isStr(j+1):
			return j + 1
		case s.isP(j, ";") || s.isP(j, "}") || s.isP(j, "(") || s.isP(j, "="):
			return -1
		}
		j++
	}
	return -1
}

func (s *fileScanner) staticLoad(out []Load, at, str int) []Load {
	t := s.lx.toks[at]
	return append(out, Load{Spec: string(s.val(str)), Line: int(t.line), Text: lineText(s.lx.src, int(t.start))})
}

// callLoad reads require( or import( at open: a string alone is a static
// load; anything else is computed, with its static prefix when it starts
// with a string ('./a/' + x) or a template chunk (`./a/${x}`).
func (s *fileScanner) callLoad(out []Load, at, open int) []Load {
	close := s.closeOf(open)
	a := open + 1
	if a >= close {
		return out // require(): not a load
	}
	t := s.lx.toks[at]
	end := s.argEnd(a, close)
	if s.isStr(a) && end == a+1 {
		return s.staticLoad(out, at, a)
	}
	l := Load{Line: int(t.line), Computed: true, Text: lineText(s.lx.src, int(t.start))}
	if s.isStr(a) || s.isKind(a, tTmpl) {
		l.Spec = string(s.val(a))
	}
	return append(out, l)
}
