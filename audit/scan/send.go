package scan

import (
	"bytes"
	"slices"
	"strings"
)

// This file finds the ready handshake (docs/pm2-behaviour.md#wait-ready-message: the raw IPC message
// must be exactly the string 'ready') through the ways code reaches
// process.send: directly, through an alias, through call/apply/bind, and
// through cluster.worker.send. What it cannot resolve within the file is
// reported as PossibleHandshake, never guessed either way.

// More ReadyMention details.
const (
	// MentionUnbound: process.send called without process as `this`:
	// `const { send } = process; send('ready')`, `const send =
	// process.send; send('ready')`, `process.send.call(null, 'ready')`.
	// Node's process.send reads this.connected, so the call throws a
	// TypeError and nothing is sent. (With a `this` the file cannot
	// resolve, such as .call(this, 'ready'), it is a PossibleHandshake.)
	MentionUnbound = "unbound-send"
)

// WorkerDetail is the Detail of WorkerHandshake evidence.
const WorkerDetail = "cluster.worker.send('ready')"

// DynamicDetail is the Detail of PossibleHandshake evidence whose
// argument holds a string literal other than 'ready': the argument is not
// copied (a literal may hold anything), only said to be an expression.
const DynamicDetail = "expression"

// recv is whose send a call reaches.
type recv uint8

const (
	recvProcess recv = iota // process.send, a bound alias, .call(process, ...)
	recvUnbound             // an unbound alias, .call(null or a literal, ...): throws
	recvWorker              // cluster.worker.send
	recvOther               // x.send for any other x (ws, res, a child process)
	recvUnsure              // an alias declared or assigned more than one way, .call(x, ...) for an unknown x
)

// argClass is what the first argument of a send call is.
type argClass uint8

const (
	argNone     argClass = iota // decided: not 'ready', nothing to say
	argReady                    // exactly the string 'ready'
	argNotExact                 // a string mentioning ready, not exactly 'ready'
	argObject                   // an object or array mentioning ready
	argDynamic                  // decided at run time
)

// aliasKind is what a name declared in the file holds.
type aliasKind uint8

const (
	aliasNone aliasKind = iota
	aliasBound
	aliasUnbound
	aliasUnsure
)

// binding is what the file says about one name that some declaration
// initialises with a string literal or a process.send alias. A name is
// resolved only when every declaration of it agrees and it is never
// assigned elsewhere: `let READY = 'ready'; READY = 'x'` resolves to
// nothing.
type binding struct {
	decls    int32 // declarations: const/let/var, destructuring, function, class, import
	strs     int32 // declarations initialised with a string literal
	bound    int32 // ... with process.send.bind(process)
	unbound  int32 // ... with process.send, or `{ send } = process`
	str      string
	mixed    bool // string declarations disagree
	assigned bool // assigned outside a declaration
}

// declKind classifies one declaration or assignment event.
type declKind uint8

const (
	declOther declKind = iota
	declStr
	declBound
	declUnbound
	declAssign
)

// declEvent is one declaration or assignment of the name at token tok;
// for declStr, val is the string literal's token.
type declEvent struct {
	tok, val int32
	kind     declKind
}

// declarations records, in one pass, how names are declared and assigned
// (for string constants and process.send aliases) and signal arrays held
// in a const/let/var (for signal loops).
func (s *fileScanner) declarations() {
	toks := s.lx.toks
	s.events = s.events[:0]
	s.declared = slices.Grow(s.declared[:0], len(toks))[:len(toks)]
	clear(s.declared)
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != tIdent {
			continue
		}
		if c := s.lx.src[toks[i].start]; c == 'c' || c == 'l' || c == 'v' || c == 'f' || c == 'i' {
			switch string(s.text(i)) {
			case "const", "let", "var":
				s.declarators(i + 1)
				continue
			case "function", "class":
				if s.isKind(i+1, tIdent) {
					s.declare(declEvent{tok: int32(i + 1), kind: declOther})
				}
				continue
			case "import":
				if !s.isMember(i-1) && (s.isKind(i+1, tIdent) || s.isP(i+1, "{") || s.isP(i+1, "*")) {
					s.imports(i + 1)
				}
				continue
			}
		}
		// An assignment, unless the name is one a declaration
		// (`const a = 1, NAME = 2`, a destructuring default) names.
		if s.assignedAt(i) && !s.isMember(i-1) && !s.declared[i] {
			s.events = append(s.events, declEvent{tok: int32(i), kind: declAssign})
		}
	}
	for _, e := range s.events {
		if e.kind == declStr || e.kind == declBound || e.kind == declUnbound {
			if s.names == nil {
				s.names = map[string]*binding{}
			}
			n := s.text(int(e.tok))
			if s.names[string(n)] == nil {
				s.names[string(n)] = &binding{}
			}
		}
	}
	if len(s.names) == 0 {
		return
	}
	for _, e := range s.events {
		b := s.names[string(s.text(int(e.tok)))]
		if b == nil {
			continue
		}
		switch e.kind {
		case declAssign:
			b.assigned = true
			continue
		case declStr:
			v := string(s.val(int(e.val)))
			if b.strs > 0 && v != b.str {
				b.mixed = true
			}
			b.str = v
			b.strs++
		case declBound:
			b.bound++
		case declUnbound:
			b.unbound++
		}
		b.decls++
	}
}

// declare records a declaration event and marks its name token.
func (s *fileScanner) declare(e declEvent) {
	s.events = append(s.events, e)
	s.declared[e.tok] = true
}

// imports records the names an import declaration starting at j binds:
// `X`, `{ a, b as c }`, `* as ns`, up to `from`.
func (s *fileScanner) imports(j int) {
	for n := 0; n < 64 && j < len(s.lx.toks) && !s.isI(j, "from") && !s.isP(j, ";"); n, j = n+1, j+1 {
		if s.lx.toks[j].kind == tIdent && (s.isP(j+1, ",") || s.isP(j+1, "}") || s.isI(j+1, "from")) {
			s.declare(declEvent{tok: int32(j), kind: declOther})
		}
	}
}

// assignedAt reports whether the identifier at i is assigned: followed by
// an assignment operator, or with ++ or -- before or after it.
func (s *fileScanner) assignedAt(i int) bool {
	toks, src := s.lx.toks, s.lx.src
	if i+1 < len(toks) && toks[i+1].kind == tPunct {
		t := toks[i+1]
		switch src[t.end-1] {
		case '=':
			return s.isAssign(i + 1)
		case '+', '-':
			return t.end-t.start == 2 && src[t.start] == src[t.start+1]
		}
	}
	if i > 0 && toks[i-1].kind == tPunct {
		t := toks[i-1]
		return t.end-t.start == 2 && (src[t.start] == '+' || src[t.start] == '-') && src[t.start] == src[t.start+1]
	}
	return false
}

// isAssign reports whether token i is an assignment operator: =, op=
// (+=, &&=, >>>=...), but not a comparison (==, ===, !=, !==, <=, >=).
func (s *fileScanner) isAssign(i int) bool {
	if i < 0 || i >= len(s.lx.toks) || s.lx.toks[i].kind != tPunct {
		return false
	}
	b := s.text(i)
	if b[len(b)-1] != '=' {
		return false
	}
	switch string(b) {
	case "==", "===", "!=", "!==", "<=", ">=":
		return false
	}
	return true
}

// declarators reads the declarators of a const/let/var starting at token
// j: `NAME = init, {a, b: c} = init2, ...`.
func (s *fileScanner) declarators(j int) {
	toks := s.lx.toks
	for n := 0; n < 64 && j < len(toks); n++ {
		var next int
		switch {
		case toks[j].kind == tIdent:
			next = s.declarator(j)
		case s.isP(j, "{") || s.isP(j, "["):
			next = s.pattern(j)
		default:
			return
		}
		if !s.isP(next, ",") {
			return
		}
		j = next + 1
	}
}

// declarator records `NAME`, `NAME = init` or `NAME: T = init` at j and
// returns the index after it.
func (s *fileScanner) declarator(j int) int {
	ev := declEvent{tok: int32(j), kind: declOther}
	k := j + 1
	if s.isP(k, ":") { // TypeScript type annotation: skip to '='
		for m := 0; m < 32 && k < len(s.lx.toks) && !s.isP(k, "=") && !s.isP(k, ",") && !s.isP(k, ";"); m++ {
			k = s.closeOf(k) + 1 // brackets as a whole, other tokens one by one
		}
	}
	if !s.isP(k, "=") {
		s.declare(ev)
		return k
	}
	init := k + 1
	end := s.exprEnd(init)
	switch {
	case s.isStr(init) && (end == init+1 || (end == init+3 && s.isI(init+1, "as") && s.isI(init+2, "const"))):
		ev.kind, ev.val = declStr, int32(init)
	case s.isI(init, "process"):
		if kind, e := s.sendAlias(init); e == end {
			ev.kind = kind
		}
	case s.isP(init, "["):
		if sigs := s.signalArray(init); sigs != nil {
			if s.sigNames == nil {
				s.sigNames = map[string][]string{}
			}
			s.sigNames[string(s.text(j))] = sigs
		}
	}
	s.declare(ev)
	return end
}

// sendAlias reads process.send (declUnbound) or process.send.bind(process)
// (declBound) at p, with `?.`, `!` and ['send'] spellings, and returns the
// index after it; declOther when it is neither.
func (s *fileScanner) sendAlias(p int) (declKind, int) {
	name, k := s.member(p + 1)
	if name != "send" {
		return declOther, p
	}
	if s.isP(k, "!") {
		k++
	}
	if m, k2 := s.member(k); m == "bind" {
		if s.isP(k2, "(") && s.isI(k2+1, "process") && s.isP(k2+2, ")") {
			return declBound, k2 + 3
		}
		return declOther, k
	}
	return declUnbound, k
}

// pattern records the names a destructuring pattern at open declares, and
// `{ send } = process` / `{ send: name } = process` as unbound aliases.
// It returns the index after the declarator (after its initialiser).
func (s *fileScanner) pattern(open int) int {
	close := s.closeOf(open)
	first := len(s.events)
	sendAt := -1
	depth := 0
	for j := open + 1; j < close && j < open+maxArg; j++ {
		t := s.lx.toks[j]
		if t.kind == tPunct {
			switch s.lx.src[t.start] {
			case '{', '[', '(':
				depth++
			case '}', ']', ')':
				depth--
			}
			continue
		}
		if t.kind != tIdent || s.isMember(j-1) {
			continue
		}
		top := depth == 0 && s.isP(open, "{")
		switch {
		case s.isP(j+1, ":"):
			if top && string(s.text(j)) == "send" && s.isKind(j+2, tIdent) && !s.isP(j+3, ":") {
				sendAt = j + 2 // { send: name }
			}
		case s.isP(j+1, ",") || s.isP(j+1, "}") || s.isP(j+1, "]") || s.isP(j+1, "="):
			if s.isP(j-1, "...") || s.isP(j-1, "{") || s.isP(j-1, "[") || s.isP(j-1, ",") || s.isP(j-1, ":") {
				s.declare(declEvent{tok: int32(j), kind: declOther})
				if top && string(s.text(j)) == "send" && !s.isP(j-1, ":") && !s.isP(j-1, "...") {
					sendAt = j // { send }
				}
			}
		}
	}
	if !s.isP(close+1, "=") {
		return close + 1
	}
	init := close + 2
	end := s.exprEnd(init)
	if sendAt >= 0 && s.isI(init, "process") && end == init+1 {
		for k := first; k < len(s.events); k++ {
			if int(s.events[k].tok) == sendAt {
				s.events[k].kind = declUnbound
			}
		}
	}
	return end
}

// exprEnd returns the index just after the expression starting at a: the
// first ',' or ';' at its bracket depth, a closing bracket of an
// enclosing one, or a line break after a complete operand followed by a
// token that cannot continue the expression (an identifier or a keyword
// that starts a statement). Brackets are jumped over as a whole.
func (s *fileScanner) exprEnd(a int) int {
	toks := s.lx.toks
	i := a
	for n := 0; i < len(toks) && n < maxArg; n++ {
		t := toks[i]
		if t.kind == tPunct {
			switch s.lx.src[t.start] {
			case ',', ';', ')', ']', '}':
				if t.end-t.start == 1 {
					return i
				}
			case '(', '[', '{':
				i = s.closeOf(i) + 1
				continue
			}
		}
		if i > a && t.line > toks[i-1].line && t.kind == tIdent && operandEnd(&toks[i-1], s.lx.src) &&
			!continuesExpr[string(s.text(i))] {
			return i // automatic semicolon insertion
		}
		i++
	}
	return min(i, len(toks))
}

// continuesExpr are identifiers that continue an expression on a new line.
var continuesExpr = map[string]bool{"as": true, "in": true, "instanceof": true, "satisfies": true}

// operandEnd reports whether token t can end an operand (so that a line
// break after it may end the statement).
func operandEnd(t *token, src []byte) bool {
	switch t.kind {
	case tIdent, tNum, tStr, tRegex:
		return true
	case tTmpl:
		return src[t.end-1] == '`'
	}
	switch string(src[t.start:t.end]) {
	case ")", "]", "}", "++", "--":
		return true
	}
	return false
}

// strValue returns the string a name holds when every declaration of it
// in the file is the same string literal and it is never reassigned.
func (s *fileScanner) strValue(name []byte) (string, bool) {
	b := s.names[string(name)]
	if b == nil || b.assigned || b.mixed || b.decls == 0 || b.strs != b.decls {
		return "", false
	}
	return b.str, true
}

// aliasOf returns what alias of process.send name is.
func (s *fileScanner) aliasOf(name []byte) aliasKind {
	b := s.names[string(name)]
	if b == nil || b.bound+b.unbound == 0 {
		return aliasNone
	}
	switch {
	case b.assigned:
		return aliasUnsure
	case b.bound == b.decls:
		return aliasBound
	case b.unbound == b.decls:
		return aliasUnbound
	}
	return aliasUnsure
}

// processSend handles process.send at token at (process), with k the
// token after `send`: a direct call, or call/apply/bind.
func (s *fileScanner) processSend(at, k int) {
	if s.isP(k, "!") { // TypeScript non-null assertion
		k++
	}
	if m, k2 := s.member(k); m == "call" || m == "apply" || m == "bind" {
		s.sendMethod(at, m, k2, false)
		return
	}
	if s.isP(k, "?.") {
		k++
	}
	if s.isP(k, "(") {
		s.sendCall(at, k+1, s.closeOf(k), recvProcess)
	}
}

// sendMethod handles send.call(this, msg), send.apply(this, [msg]) and
// send.bind(this)(msg) whose method name ends before k; bound says the
// function is already bound to process (a bound alias).
func (s *fileScanner) sendMethod(at int, method string, k int, bound bool) {
	if s.isP(k, "?.") {
		k++
	}
	if !s.isP(k, "(") {
		return
	}
	open, close := k, s.closeOf(k)
	this := open + 1
	thisEnd := s.argEnd(this, close) // the ',' after this, or close
	r := recvProcess
	if !bound {
		r = s.thisArg(this, thisEnd)
	}
	switch method {
	case "call":
		if s.isP(thisEnd, ",") {
			s.sendCall(at, thisEnd+1, close, r)
		}
	case "apply":
		if !s.isP(thisEnd, ",") {
			return
		}
		if a := thisEnd + 1; s.isP(a, "[") {
			s.sendCall(at, a+1, s.closeOf(a), r)
		} else if (r == recvProcess || r == recvUnsure) && a < close {
			s.emitPossible(at, a, s.argEnd(a, close))
		}
	case "bind":
		if thisEnd != close { // bind(x, arg): a partial application, not followed
			return
		}
		k = close + 1
		if s.isP(k, "?.") {
			k++
		}
		if s.isP(k, "(") {
			s.sendCall(at, k+1, s.closeOf(k), r)
		}
	}
}

// thisArg says whose send a call/apply/bind with the `this` argument
// a:end reaches: process; nothing (null, undefined, a literal: Node's
// send then throws); or, for any other expression (this, a variable that
// may hold process), an unsure receiver.
func (s *fileScanner) thisArg(a, end int) recv {
	if end != a+1 {
		if (s.isP(a, "{") || s.isP(a, "[")) && s.closeOf(a) == end-1 {
			return recvUnbound
		}
		return recvUnsure
	}
	switch {
	case s.isI(a, "process"):
		return recvProcess
	case s.isI(a, "null") || s.isI(a, "undefined") || s.isKind(a, tStr) || s.isKind(a, tNum):
		return recvUnbound
	}
	return recvUnsure
}

// aliasCall handles a call through a name declared as an alias of
// process.send at token i: name(msg), name?.(msg), name.call(...).
func (s *fileScanner) aliasCall(i int, kind aliasKind) {
	if s.isMember(i-1) || s.isI(i-1, "function") || s.isI(i-1, "const") || s.isI(i-1, "let") || s.isI(i-1, "var") {
		return
	}
	k := i + 1
	if s.isP(k, "!") {
		k++
	}
	if m, k2 := s.member(k); m == "call" || m == "apply" || m == "bind" {
		switch kind {
		case aliasBound:
			s.sendMethod(i, m, k2, true)
		case aliasUnbound:
			s.sendMethod(i, m, k2, false)
		}
		return
	}
	if s.isP(k, "?.") {
		k++
	}
	if !s.isP(k, "(") || s.isP(s.closeOf(k)+1, "{") { // name(m) { ... } is a method, not a call
		return
	}
	r := recvUnsure
	switch kind {
	case aliasBound:
		r = recvProcess
	case aliasUnbound:
		r = recvUnbound
	}
	s.sendCall(i, k+1, s.closeOf(k), r)
}

// clusterWorker reports whether the tokens ending at r (the receiver of
// `.send`) are cluster.worker, cluster?.worker or cluster.worker!.
func (s *fileScanner) clusterWorker(r int) bool {
	if s.isP(r, "!") {
		r--
	}
	return s.isI(r, "worker") && s.isMember(r-1) && s.isI(r-2, "cluster") && !s.isMember(r-3)
}

// sendCall classifies the first argument, at token a, of a send call
// whose arguments end at close, and emits what it shows for receiver r;
// at is the token the evidence points at.
func (s *fileScanner) sendCall(at, a, close int, r recv) {
	if a >= close || a >= len(s.lx.toks) {
		return
	}
	end := s.argEnd(a, close)
	class, mention := s.classifyArg(a, end)
	switch r {
	case recvProcess:
		switch class {
		case argReady:
			s.emitTok(Handshake, at, HandshakeDetail)
			s.guard(at)
		case argNotExact, argObject:
			s.emitTok(ReadyMention, at, mention)
		case argDynamic:
			s.emitPossible(at, a, end)
		}
	case recvUnsure:
		if class == argReady || class == argDynamic {
			s.emitPossible(at, a, end)
		}
	case recvUnbound:
		if class != argNone && class != argDynamic {
			s.emitTok(ReadyMention, at, MentionUnbound)
		}
	case recvWorker:
		switch class {
		case argReady:
			s.emitTok(WorkerHandshake, at, WorkerDetail)
			s.guard(at)
		case argNotExact, argObject:
			s.emitTok(ReadyMention, at, mention)
		}
	case recvOther:
		if class != argNone && class != argDynamic {
			s.emitTok(ReadyMention, at, MentionOtherSend)
		}
	}
}

// maxDetailTokens bounds the argument copied into a PossibleHandshake's
// Detail; a longer one is DynamicDetail.
const maxDetailTokens = 16

// emitPossible reports a PossibleHandshake whose argument is a:end.
func (s *fileScanner) emitPossible(at, a, end int) {
	detail := DynamicDetail
	if end > a && end-a <= maxDetailTokens {
		plain := true
		for j := a; j < end; j++ {
			switch s.lx.toks[j].kind {
			case tStr:
				plain = plain && string(s.val(j)) == "ready"
			case tTmpl, tRegex:
				plain = false
			}
		}
		if plain {
			detail = sourceText(s.lx.src[s.lx.toks[a].start:s.lx.toks[end-1].end])
		}
	}
	s.emitTok(PossibleHandshake, at, detail)
}

// noValue are identifiers that start an argument which is never a string
// equal to 'ready' (a literal of another type, an object made with new,
// a typeof or void expression, a function).
var noValue = map[string]bool{
	"null": true, "undefined": true, "true": true, "false": true, "NaN": true, "Infinity": true,
	"new": true, "typeof": true, "void": true, "delete": true, "function": true, "class": true,
}

// classifyArg says what the argument a:end of a send call is, and for a
// mention, its ReadyMention detail.
func (s *fileScanner) classifyArg(a, end int) (argClass, string) {
	toks := s.lx.toks
	alone := end == a+1 || (end == a+3 && s.isI(a+1, "as") && s.isI(a+2, "const")) ||
		(end == a+2 && s.isP(a+1, "!"))
	switch toks[a].kind {
	case tStr:
		v := s.val(a)
		switch {
		case alone && string(v) == "ready":
			return argReady, ""
		case containsReady(v):
			return argNotExact, MentionNotExact
		case alone:
			return argNone, ""
		}
		return s.compound(a, end, v), ""
	case tTmpl:
		head := []byte(nil)
		for j := a; j < end && j < a+64; j++ {
			if toks[j].kind != tTmpl {
				continue
			}
			v := s.val(j)
			if containsReady(v) {
				return argNotExact, MentionNotExact
			}
			if j == a {
				head = v
			}
			if s.lx.src[toks[j].end-1] == '`' { // the literal's last chunk
				break
			}
		}
		return s.compound(a, end, head), ""
	case tNum, tRegex:
		return argNone, ""
	case tIdent:
		name := s.text(a)
		if noValue[string(name)] {
			return argNone, ""
		}
		if v, ok := s.strValue(name); ok {
			switch {
			case alone && v == "ready":
				return argReady, ""
			case containsReady([]byte(v)):
				return argNotExact, MentionNotExact
			case alone:
				return argNone, ""
			}
			return s.compound(a, end, []byte(v)), ""
		}
		return argDynamic, ""
	}
	// Punctuation: an object or array literal is never the string 'ready'.
	if s.isP(a, "{") || s.isP(a, "[") {
		for j, e := a, min(s.closeOf(a), a+maxArg); j <= e; j++ {
			if (toks[j].kind == tStr && containsReady(s.val(j))) || s.isI(j, "ready") {
				return argObject, MentionObject
			}
		}
		return argNone, ""
	}
	switch string(s.text(a)) {
	case "!", "-", "+", "~":
		if !s.topLevel(a, end, "?", "||", "&&", "??") {
			return argNone, "" // a boolean or a number
		}
	}
	return argDynamic, ""
}

// compound classifies an argument a:end that starts with a string whose
// static start is first and goes on (a concatenation, a method call, a
// conditional): 'ready' is impossible when it is a concatenation whose
// first string is not a prefix of "ready"; anything else is decided at
// run time.
func (s *fileScanner) compound(a, end int, first []byte) argClass {
	if s.topLevel(a, end, "?", "||", "&&", "??") {
		return argDynamic
	}
	plus := s.isP(a+1, "+") || (s.isKind(a, tTmpl) && s.isP(s.tmplEnd(a)+1, "+"))
	if (plus || s.isKind(a, tTmpl)) && !bytes.HasPrefix([]byte("ready"), first) {
		return argNone
	}
	return argDynamic
}

// tmplEnd returns the last chunk of the template literal starting at a.
func (s *fileScanner) tmplEnd(a int) int {
	toks := s.lx.toks
	for j := a; j < len(toks) && j < a+maxArg; j++ {
		if toks[j].kind == tTmpl && s.lx.src[toks[j].end-1] == '`' {
			return j
		}
	}
	return a
}

// topLevel reports whether one of ops occurs in a:end outside brackets.
func (s *fileScanner) topLevel(a, end int, ops ...string) bool {
	for j := a; j < end; j++ {
		if s.isP(j, "(") || s.isP(j, "[") || s.isP(j, "{") {
			j = s.closeOf(j)
			continue
		}
		if s.lx.toks[j].kind == tPunct {
			t := string(s.text(j))
			for _, op := range ops {
				if t == op {
					return true
				}
			}
		}
	}
	return false
}

// isTestKind: the kinds kept from test files, those that could be taken
// for the service's implementation of what PM2 expects.
func isTestKind(k Kind) bool {
	switch k {
	case Handshake, WorkerHandshake, SignalHandler, ShutdownMessage:
		return true
	}
	return false
}

// testAnchors: a test file without any of these cannot hold a kind kept
// from tests (isTestKind), so it is not lexed.
var testAnchors = [][]byte{[]byte("process"), []byte("cluster")}

// mayMatchTest is the prefilter of test files.
func mayMatchTest(src []byte) bool {
	for _, a := range testAnchors {
		if bytes.Contains(src, a) {
			return true
		}
	}
	return false
}

// testDirs are directories of tests, mocks and fixtures: Node's test
// runner and Mocha run test/, Jest __tests__/ (and __mocks__/ holds its
// mocks), Jasmine spec/.
var testDirs = map[string]bool{
	"test": true, "tests": true, "__tests__": true, "__mocks__": true, "__fixtures__": true,
	"fixtures": true, "spec": true,
}

// IsTest reports whether p, a slash-separated path of a file under the
// service directory dir ("." for the root), is a test or fixture of the
// service rather than its code: a directory between dir and the file is
// one of test, tests, __tests__, __mocks__, __fixtures__, fixtures, spec
// (any case), or the file name without extension is test, starts with
// test-, or ends with .test, -test, _test, .spec, -spec, _spec (Node's
// test runner's default patterns, and Jest's and Vitest's .spec). Only
// the part of p below dir counts, so a service that itself lives under a
// test/ directory is not all tests.
func IsTest(dir, p string) bool {
	rel := p
	if dir != "." && dir != "" {
		var ok bool
		if rel, ok = strings.CutPrefix(p, dir+"/"); !ok {
			rel = p
		}
	}
	for {
		i := strings.IndexByte(rel, '/')
		if i < 0 {
			break
		}
		if testDirs[strings.ToLower(rel[:i])] {
			return true
		}
		rel = rel[i+1:]
	}
	name := strings.ToLower(rel)
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if name == "test" || strings.HasPrefix(name, "test-") {
		return true
	}
	for _, suf := range [...]string{".test", "-test", "_test", ".spec", "-spec", "_spec"} {
		if len(name) > len(suf) && strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}
