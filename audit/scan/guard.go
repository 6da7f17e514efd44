package scan

import "strings"

// maxGuardWalk bounds the tokens guard walks back over (enclosing
// brackets are jumped over whole).
const maxGuardWalk = 512

// guard sets the Guard of the evidence just emitted for the call at token
// at: the condition of the nearest enclosing `if (cond) { … }`, `if
// (cond) call`, `} else { … }` (negated) or `cond && call`. Checks that
// process.send exists (if (process.send), typeof process.send ===
// 'function', process.connected) are not guards: under PM2 they hold.
func (s *fileScanner) guard(at int) {
	if len(s.out) == 0 {
		return
	}
	from, to, line, neg := s.guardOf(at)
	if from < 0 || to <= from {
		return
	}
	text := sourceText(s.lx.src[s.lx.toks[from].start:s.lx.toks[to-1].end])
	if text == "" || strings.Contains(text, "process.send") || strings.Contains(text, "process.connected") ||
		strings.Contains(text, "process?.send") || strings.Contains(text, "cluster.worker") {
		return
	}
	if neg == elseGuard {
		text = "!(" + text + ")"
	}
	e := &s.out[len(s.out)-1]
	e.Guard, e.GuardLine = text, int(line)
}

const (
	ifGuard = iota
	elseGuard
	andGuard
)

// guardOf finds the guard of the call at token at: the condition's
// tokens from:to, its line and its kind; from is -1 when there is none.
func (s *fileScanner) guardOf(at int) (int, int, int32, int) {
	toks := s.lx.toks
	// cond && call, on the call's own statement.
	if s.isP(at-1, "&&") {
		j := at - 2
		for n := 0; j >= 0 && n < maxGuardWalk; n++ {
			t := toks[j]
			if t.kind == tPunct {
				switch c := s.lx.src[t.start]; {
				case c == ')' || c == ']' || c == '}':
					j = s.closeOf(j) - 1
					continue
				case c == '(' || c == '[' || c == '{' || c == ';' || c == ',' || s.isP(j, "=>") || s.isP(j, "=") || s.isP(j, "?") || s.isP(j, ":") || s.isP(j, "||"):
					if j+1 < at-1 {
						return j + 1, at - 1, toks[j+1].line, andGuard
					}
					return -1, 0, 0, 0
				}
			}
			if t.kind == tIdent && (string(s.text(j)) == "return" || string(s.text(j)) == "await") {
				break
			}
			j--
		}
		if j < 0 && at-1 > 0 {
			return 0, at - 1, toks[0].line, andGuard
		}
	}
	// if (cond) call
	if s.isP(at-1, ")") {
		if o := s.closeOf(at - 1); s.isI(o-1, "if") {
			return o + 1, at - 1, toks[o-1].line, ifGuard
		}
	}
	// Enclosing blocks: `if (cond) {`, `} else {`.
	j := at - 1
	for n := 0; j >= 0 && n < maxGuardWalk; n++ {
		t := toks[j]
		if t.kind == tPunct {
			switch s.lx.src[t.start] {
			case ')', ']', '}':
				j = s.closeOf(j) - 1
				continue
			case '{':
				if s.isP(j-1, ")") {
					if o := s.closeOf(j - 1); s.isI(o-1, "if") {
						return o + 1, j - 1, toks[o-1].line, ifGuard
					}
				}
				if s.isI(j-1, "else") && s.isP(j-2, "}") {
					b := s.closeOf(j - 2)
					if s.isP(b-1, ")") {
						if o := s.closeOf(b - 1); s.isI(o-1, "if") {
							return o + 1, b - 1, toks[o-1].line, elseGuard
						}
					}
				}
			}
		}
		j--
	}
	return -1, 0, 0, 0
}
