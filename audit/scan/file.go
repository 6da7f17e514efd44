package scan

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Details carried by ReadyMention evidence: why the mention is not a
// handshake PM2 accepts (docs/pm2-behaviour.md#wait-ready-message: the raw IPC message must be exactly
// the string 'ready').
const (
	// MentionObject: process.send with an object that mentions ready,
	// e.g. {type: 'ready'} or {type: 'process:msg', data: 'ready'}.
	MentionObject = "object-message"
	// MentionNotExact: process.send with a string that is not exactly
	// 'ready' ('ready-ish', 'READY', `ready ${x}`, 'ready' + x).
	MentionNotExact = "not-exact-ready"
	// MentionOtherSend: x.send('ready') where x is not process
	// (worker.send, res.send, ws.send).
	MentionOtherSend = "not-process-send"
	// MentionEvent: an event named 'ready' of another library
	// (client.on('ready'), emitter.emit('ready')).
	MentionEvent = "event-name"
	// MentionComment, MentionString, MentionDoc: handshake-looking text
	// (process.send('ready')) inside a comment, a string or template
	// literal, or a documentation file.
	MentionComment = "comment"
	MentionString  = "string"
	MentionDoc     = "doc"
)

// HandshakeDetail is the Detail of Handshake evidence, and of the
// OptionMention evidence for handshake-looking text in comments and docs.
const HandshakeDetail = "process.send('ready')"

// maxTextLen caps Evidence.Text.
const maxTextLen = 200

// maxSpan bounds how many tokens a matcher walks (an object argument,
// a handler's arguments, a function body), so that pathological files
// stay near linear. Bracket matching itself is precomputed in one pass.
const maxSpan = 4096

// maxArg bounds the tokens examined in one argument (the first argument
// of listen, an object passed to send, a fastify route object).
const maxArg = 256

// optionNames are the PM2 options reported as OptionMention in comments
// and documentation.
var optionNames = []string{"wait_ready", "listen_timeout", "kill_timeout", "shutdown_with_message", "kill_signal"}

// handshakeText matches handshake-looking text in comments, strings and
// documentation. Escaped quotes (\"ready\") count, as in log strings.
var handshakeText = regexp.MustCompile("process\\s*\\.\\s*send\\s*(?:\\?\\.\\s*)?\\(\\s*\\\\?['\"`]ready\\\\?['\"`]")

// sourceAnchors: a file in which none of these byte strings occurs cannot
// produce evidence, so it is not lexed. Each matcher below needs at least
// one of them (PortDefault on a lower-case "port" is checked apart).
var sourceAnchors = [][]byte{
	[]byte("process"), []byte("listen"), []byte("close"), []byte("ready"), []byte("Ready"), []byte("READY"), []byte("shutdown"),
	[]byte("PORT"), []byte("Port"), []byte("kill_"), []byte("pathname"),
}

// dotAnchors follow a '.': route methods and req.url / req.path. They are
// checked in one pass over the dots.
var dotAnchors = []string{"get(", "post(", "put(", "delete(", "patch(", "all(", "head(", "options(", "route(", "url", "path"}

// routeMethods maps a router method name to the HTTP method reported.
var routeMethods = map[string]string{
	"get": "GET", "post": "POST", "put": "PUT", "delete": "DELETE", "patch": "PATCH",
	"all": "ALL", "head": "HEAD", "options": "OPTIONS",
}

var listenerMethods = map[string]bool{
	"on": true, "once": true, "addListener": true, "prependListener": true, "prependOnceListener": true,
}

// mayMatchSource is the prefilter: false when src cannot contain evidence.
func mayMatchSource(src []byte) bool {
	for _, a := range sourceAnchors {
		if bytes.Index(src, a) >= 0 {
			return true
		}
	}
	for off := 0; ; {
		j := bytes.IndexByte(src[off:], '.')
		if j < 0 {
			break
		}
		off += j + 1
		if off >= len(src) {
			break
		}
		switch src[off] { // quick reject on the letter after the dot
		case 'g', 'p', 'd', 'a', 'h', 'o', 'r', 'u':
			for _, a := range dotAnchors {
				if bytes.HasPrefix(src[off:], []byte(a)) {
					return true
				}
			}
		}
	}
	// "port =" / "port:" (lower case; "import" and "export" alone do not count).
	for off := 0; ; {
		j := bytes.Index(src[off:], []byte("port"))
		if j < 0 {
			return false
		}
		k := off + j + 4
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if k < len(src) && (src[k] == '=' || src[k] == ':') {
			return true
		}
		off += j + 4
	}
}

// File scans one JavaScript or TypeScript source file (.js .cjs .mjs .jsx
// .ts .tsx .mts .cts) and returns its evidence sorted by line, kind,
// context and detail (nil when there is none). path is only copied into
// the evidence. The file is never executed or parsed: a tokenizer (lex.go)
// separates code from comments, strings, template literals (with ${}
// nesting) and regex literals, and small token patterns find the evidence.
// A file containing none of the anchor words (process, listen, close,
// ready, shutdown, PORT, .get( ...) is not tokenized at all.
//
// Patterns and their limits:
//   - Handshake (code): process.send('ready') with any quote style or a
//     template without substitutions; optional call ?.(), TypeScript !,
//     casts ((process as any).send, (<any>process).send), 'ready' as const,
//     extra arguments, any whitespace and line breaks, process['send'];
//     process.send.call(process, 'ready'), .apply(process, ['ready']),
//     .bind(process)('ready'); a bound alias (const send =
//     process.send.bind(process); send('ready')); and a name holding
//     'ready' (const READY = 'ready'; process.send(READY)). Guards such as
//     `process.send && ...`, `if (process.send)`, `typeof process.send ===
//     'function' && ...` contain the call and are found through it. A name
//     is resolved only when every declaration of it in the file (const,
//     let, var, destructuring, function, class, import) agrees and it is
//     never assigned (=, op=, ++, --) elsewhere; a function parameter or
//     catch binding that shadows it, and a destructuring assignment to it,
//     are not seen.
//   - PossibleHandshake (code): process.send or a bound alias with a
//     message the file does not resolve (a variable, parameter, import,
//     call, member, spread, conditional, `${x}`, 're' + x), an alias
//     declared or assigned more than one way, or .call(x, ...) with an
//     unknown x. Never claimed to be or not to be the handshake. Calls
//     through a wrapper function (notify('ready') where notify calls
//     process.send(m)) are not followed: the wrapper's process.send(m) is
//     the PossibleHandshake.
//   - WorkerHandshake (code): cluster.worker.send('ready') (also ?. and !),
//     for a receiver spelled cluster.worker. With a message decided at run
//     time it yields nothing: the rules could not use it without the mode.
//   - ReadyMention (code): process.send with an object or array mentioning
//     ready (MentionObject), with a string that is not exactly 'ready' but
//     contains ready, Ready or READY (MentionNotExact), x.send('ready') for
//     another x (MentionOtherSend), x.on/once/emit('ready') (MentionEvent),
//     and process.send called without process as this (`const { send } =
//     process; send('ready')`, `process.send.call(null, 'ready')`: Node
//     throws, MentionUnbound). In comments and strings: handshake-looking
//     text (MentionComment, MentionString).
//   - SignalHandler: process.on|once|addListener|prependListener|
//     prependOnceListener('SIG...'). Loops: process.on(ident, ...) where an
//     array literal made only of signal strings, or a reference to a
//     const/let/var holding one, appears on the same line or up to five
//     lines before; one evidence per signal, on the process.on line.
//   - ShutdownMessage / MessageHandler: process.on('message', h) with the
//     string 'shutdown' anywhere in the inline handler's arguments, or in
//     the body of a handler named by a local function or const declaration.
//   - Listen: any x.listen( call, Detail = the first argument's source text
//     with whitespace collapsed ("" without arguments).
//   - Close: x.close( where x contains server, http, fastify or listener,
//     or starts or ends with app (case-insensitive).
//   - Route: x.get|post|put|delete|patch|all|head|options('/literal', ...)
//     where x starts or ends with app, router, server, fastify or hono;
//     x.route('/p').get(...).put(...) chains; fastify.route({method, url});
//     and req.url|req.path|pathname === '/p' (method from a method === 'X'
//     on the same line, else GET). Paths must be literals starting with /;
//     `.get(` and `.url` must be written without spaces, as the prefilter
//     looks for them that way.
//   - PortDefault: process.env.*PORT || N and ?? N (also through Number(),
//     parseInt(x, 10)), and NAME = N / NAME: N / NAME: T = N for NAME port,
//     PORT, Port or ending in PORT, Port, _port (lower-case names need only
//     spaces before = or :); N is a decimal 1..65535, or such a string.
//   - OptionMention (comments): wait_ready, listen_timeout, kill_timeout,
//     shutdown_with_message, kill_signal as whole words, and
//     handshake-looking text as HandshakeDetail.
//
// Each matcher looks at a bounded number of tokens, so the time is linear
// in the file size even for adversarial input; the fuzz test checks that
// the prefilter never hides evidence.
//
// File scans a file as the service's code. Service scans tests and
// fixtures (IsTest) for the handshake and shutdown kinds only, in Context
// InTest.
func File(path string, src []byte) []Evidence {
	var s fileScanner
	return s.file(path, src, false)
}

// sigSource is a place where a list of signal names appears: an array
// literal of signal strings, or a reference to a constant holding one.
type sigSource struct {
	line int32
	sigs []string
}

// fileScanner holds per-goroutine buffers reused from file to file.
type fileScanner struct {
	lx         lexer
	path       string
	out        []Evidence
	test       bool                // a test file: InTest context, isTestKind kinds only
	names      map[string]*binding // string constants and process.send aliases
	events     []declEvent
	declared   []bool // declared[i]: token i is a name a declaration introduces
	sigNames   map[string][]string
	sigSources []sigSource
	decls      map[string]int // funcBody: first declaration of each name
	declsBuilt bool
	match      []int32 // closing bracket of each opening bracket
	shutdowns  []int32 // shutdowns[i]: 'shutdown' strings before token i
	stack      []int32
}

// file scans one source file; test says it is a test or fixture (IsTest),
// whose evidence is kept only for the kinds of isTestKind, in Context
// InTest.
func (s *fileScanner) file(path string, src []byte, test bool) []Evidence {
	if test && !mayMatchTest(src) || !test && !mayMatchSource(src) {
		return nil
	}
	return s.scanAll(path, src, test)
}

// scanAll scans src without the prefilter.
func (s *fileScanner) scanAll(path string, src []byte, test bool) []Evidence {
	s.path = path
	s.test = test
	s.out = nil
	s.sigSources = s.sigSources[:0]
	clear(s.names)
	clear(s.sigNames)
	clear(s.decls)
	s.declsBuilt = false
	s.lx.lex(src)
	s.matchBrackets()
	s.declarations()
	toks := s.lx.toks
	for i := range toks {
		switch toks[i].kind {
		case tIdent:
			s.ident(i)
		case tStr, tTmpl:
			if !test {
				s.stringMention(i)
			}
		case tPunct:
			if s.isP(i, "[") {
				if sigs := s.signalArray(i); sigs != nil {
					s.sigSources = append(s.sigSources, sigSource{toks[i].line, sigs})
				}
			}
		}
	}
	for _, c := range s.lx.comments {
		if test {
			break
		}
		s.textMentions(int(c.start), int(c.end), c.line, InComment)
	}
	return sortEvidence(s.out)
}

// Token helpers. All accept out-of-range indexes and answer false.

func (s *fileScanner) text(i int) []byte {
	t := s.lx.toks[i]
	return s.lx.src[t.start:t.end]
}

func (s *fileScanner) val(i int) []byte {
	t := s.lx.toks[i]
	return s.lx.src[t.vs:t.ve]
}

func (s *fileScanner) isP(i int, p string) bool {
	return i >= 0 && i < len(s.lx.toks) && s.lx.toks[i].kind == tPunct && string(s.text(i)) == p
}

func (s *fileScanner) isI(i int, name string) bool {
	return i >= 0 && i < len(s.lx.toks) && s.lx.toks[i].kind == tIdent && string(s.text(i)) == name
}

func (s *fileScanner) isKind(i int, k tokKind) bool {
	return i >= 0 && i < len(s.lx.toks) && s.lx.toks[i].kind == k
}

func (s *fileScanner) isStr(i int) bool { return s.isKind(i, tStr) }

// isMember reports whether token i is `.` or `?.`.
func (s *fileScanner) isMember(i int) bool { return s.isP(i, ".") || s.isP(i, "?.") }

// matchBrackets computes, in one pass, the index of the token closing
// each opening bracket (any of ([{ closed by any of )]}), or the last
// token for brackets never closed; and the running count of 'shutdown'
// strings used by hasShutdown.
func (s *fileScanner) matchBrackets() {
	toks := s.lx.toks
	s.match = slices.Grow(s.match[:0], len(toks))[:len(toks)]
	s.shutdowns = slices.Grow(s.shutdowns[:0], len(toks)+1)[:len(toks)+1]
	stack := s.stack[:0]
	n := int32(0)
	s.shutdowns[0] = 0
	for i, t := range toks {
		s.match[i] = int32(i)
		if t.kind == tStr && string(s.lx.src[t.vs:t.ve]) == "shutdown" {
			n++
		}
		s.shutdowns[i+1] = n
		if t.kind != tPunct {
			continue
		}
		switch s.lx.src[t.start] {
		case '(', '[', '{':
			stack = append(stack, int32(i))
		case ')', ']', '}':
			if len(stack) > 0 {
				s.match[stack[len(stack)-1]] = int32(i)
				s.match[i] = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		}
	}
	for _, o := range stack {
		s.match[o] = int32(len(toks) - 1)
	}
	s.stack = stack
}

// closeOf returns the index of the bracket closing the one at open (the
// last token when it is never closed); for a closing bracket, the index
// of the bracket it closes.
func (s *fileScanner) closeOf(open int) int {
	if open < 0 || open >= len(s.match) {
		return len(s.match) - 1
	}
	return int(s.match[open])
}

// argEnd returns the index just after the first argument starting at a,
// stopping at a top-level ',' or at close. Brackets are jumped over as a
// whole (their matches are precomputed), so it looks at no more than
// maxArg tokens outside brackets.
func (s *fileScanner) argEnd(a, close int) int {
	i := a
	for n := 0; i < close && n < maxArg; n++ {
		t := s.lx.toks[i]
		if t.kind == tPunct {
			switch s.lx.src[t.start] {
			case '(', '[', '{':
				i = s.closeOf(i) + 1 // a bracket never closed ends at the last token
				continue
			case ',':
				return i
			}
		}
		i++
	}
	return min(i, close)
}

func (s *fileScanner) emit(k Kind, c Context, line int32, off int, detail string) {
	if s.test {
		if !isTestKind(k) {
			return
		}
		c = InTest
	}
	s.out = append(s.out, Evidence{
		Kind: k, Context: c, Path: s.path, Line: int(line),
		Detail: validText(detail), Text: lineText(s.lx.src, off),
	})
}

func (s *fileScanner) emitTok(k Kind, i int, detail string) {
	t := s.lx.toks[i]
	s.emit(k, InCode, t.line, int(t.start), detail)
}

// ident runs the matchers anchored on an identifier.
func (s *fileScanner) ident(i int) {
	b := s.text(i)
	if string(b) == "process" {
		s.process(i)
		return
	}
	member := s.isMember(i - 1)
	if member && string(b) == "send" {
		switch {
		case s.isI(i-2, "process"): // handled from the process token
		case s.castProcess(i - 2): // (process as X).send(...)
			s.processSend(s.closeOf(i-2), i+1)
		default:
			s.otherSend(i)
		}
	}
	if member && s.isP(i+1, "(") {
		name := string(b) // compared and looked up only: no allocation
		switch {
		case name == "listen":
			s.listen(i)
		case name == "close":
			if s.isKind(i-2, tIdent) && closeReceiver(string(s.text(i-2))) {
				s.emitTok(Close, i-2, string(s.text(i-2)))
			}
		case listenerMethods[name] || name == "emit":
			if (name == "emit" || !s.isI(i-2, "process")) && s.isStr(i+2) && string(s.val(i+2)) == "ready" {
				s.emitTok(ReadyMention, i, MentionEvent)
			}
		case name == "route" || routeMethods[name] != "":
			if s.isKind(i-2, tIdent) && routeReceiver(string(s.text(i-2))) && s.adjacent(i-1, i) && s.adjacent(i, i+1) {
				s.route(i, name)
			}
		}
	}
	if (member && s.adjacent(i-1, i) && (string(b) == "url" || string(b) == "path")) || string(b) == "pathname" {
		s.urlCompare(i)
	}
	if isPortName(b) {
		s.portAssign(i)
	}
	if sigs, ok := s.sigNames[string(b)]; ok && !s.isP(i+1, "=") {
		s.sigSources = append(s.sigSources, sigSource{s.lx.toks[i].line, sigs})
	}
	if len(s.names) > 0 && !member {
		if k := s.aliasOf(b); k != aliasNone {
			s.aliasCall(i, k)
		}
	}
}

// otherSend handles x.send(...) at the send token i for a receiver other
// than process: cluster.worker.send, or any other object's send.
func (s *fileScanner) otherSend(i int) {
	k := i + 1
	if s.isP(k, "!") {
		k++
	}
	if s.isP(k, "?.") {
		k++
	}
	if !s.isP(k, "(") {
		return
	}
	r := recvOther
	if s.clusterWorker(i - 2) {
		r = recvWorker
	}
	s.sendCall(max(i-2, 0), k+1, s.closeOf(k), r)
}

// process handles process.send, process.on/once/..., process.env.*PORT.
func (s *fileScanner) process(i int) {
	name, k := s.member(i + 1)
	switch {
	case name == "send":
		s.processSend(i, k)
	case listenerMethods[name]:
		if s.isP(k, "?.") {
			k++
		}
		if !s.isP(k, "(") {
			return
		}
		a := k + 1
		switch {
		case s.isStr(a) && isSignal(s.val(a)):
			s.emitTok(SignalHandler, i, string(s.val(a)))
		case s.isStr(a) && string(s.val(a)) == "message":
			s.messageHandler(i, k)
		case s.isKind(a, tIdent) && s.isP(a+1, ","):
			s.signalLoop(i)
		}
	case name == "env":
		env, k2 := s.member(k)
		if env != "" && strings.HasSuffix(strings.ToUpper(env), "PORT") {
			s.portAfterEnv(k2)
		}
	}
}

// adjacent reports whether tokens a and b touch (no space or comment
// between them). Route matchers require `.get(` and `.url` to be written
// together, as the prefilter looks for them that way.
func (s *fileScanner) adjacent(a, b int) bool {
	return a >= 0 && b < len(s.lx.toks) && s.lx.toks[a].end == s.lx.toks[b].start
}

// castProcess reports whether the ')' at c closes a TypeScript cast of
// process: (process as any), (process as NodeJS.Process), (<any>process),
// (process!).
func (s *fileScanner) castProcess(c int) bool {
	if !s.isP(c, ")") {
		return false
	}
	o := s.closeOf(c)
	if o >= c || c-o > 10 || !s.isP(o, "(") {
		return false
	}
	for j := o + 1; j < c; j++ {
		if s.isI(j, "process") && !s.isMember(j+1) && !s.isP(j+1, "(") && !s.isP(j+1, "[") {
			return s.isP(j+1, ")") || s.isI(j+1, "as") || s.isP(j+1, "!")
		}
	}
	return false
}

// member reads `.name`, `?.name` or `['name']` at j and returns the name
// and the index after it ("" when there is none).
func (s *fileScanner) member(j int) (string, int) {
	if s.isMember(j) && s.isKind(j+1, tIdent) {
		return string(s.text(j + 1)), j + 2
	}
	if s.isP(j, "[") && s.isStr(j+1) && s.isP(j+2, "]") {
		return string(s.val(j + 1)), j + 3
	}
	return "", j
}

// messageHandler classifies process.on('message', handler) whose '(' is
// at open: ShutdownMessage when a 'shutdown' string appears in the inline
// handler (or in the body of a handler named by a local function or
// const), MessageHandler otherwise.
func (s *fileScanner) messageHandler(at, open int) {
	e := s.closeOf(open)
	found := s.hasShutdown(open, e)
	if !found && s.isP(open+2, ",") && s.isKind(open+3, tIdent) && s.isP(open+4, ")") {
		if bs, be := s.funcBody(string(s.text(open + 3))); bs >= 0 {
			found = s.hasShutdown(bs, be)
		}
	}
	if found {
		s.emitTok(ShutdownMessage, at, "shutdown")
	} else {
		s.emitTok(MessageHandler, at, "message")
	}
}

func (s *fileScanner) hasShutdown(from, to int) bool {
	to = min(to, len(s.lx.toks)-1)
	return from <= to && s.shutdowns[to+1]-s.shutdowns[from] > 0
}

// funcBody finds `function name` or `const|let|var name =` and returns the
// token range of its body: the first {...} block after it, or for an
// expression-bodied arrow function the tokens up to the next ';'. The
// declarations are indexed once per file, on first use.
func (s *fileScanner) funcBody(name string) (int, int) {
	if !s.declsBuilt {
		s.declsBuilt = true
		for i := 1; i < len(s.lx.toks); i++ {
			if s.lx.toks[i].kind != tIdent {
				continue
			}
			if s.isI(i-1, "function") ||
				((s.isI(i-1, "const") || s.isI(i-1, "let") || s.isI(i-1, "var")) && s.isP(i+1, "=")) {
				if s.decls == nil {
					s.decls = map[string]int{}
				}
				n := string(s.text(i))
				if _, seen := s.decls[n]; !seen {
					s.decls[n] = i
				}
			}
		}
	}
	i, ok := s.decls[name]
	if !ok {
		return -1, -1
	}
	toks := s.lx.toks
	for j := i + 1; j < len(toks) && j < i+maxArg; j++ {
		if s.isP(j, "{") {
			return j, s.closeOf(j)
		}
		if s.isP(j, "=>") && !s.isP(j+1, "{") {
			k := j + 1
			for k < len(toks) && k < j+maxSpan && !s.isP(k, ";") {
				k++
			}
			return j + 1, k
		}
	}
	return -1, -1
}

// signalLoop handles process.on(ident, ...) at token i: when a list of
// signals (an array literal of signal strings, or a const holding one)
// appears on the same line or up to five lines before, the call is taken
// to register a handler for each of those signals, as in
// `for (const s of ['SIGINT','SIGTERM']) process.on(s, h)` and
// `SIGNALS.forEach((s) => process.once(s, h))`.
func (s *fileScanner) signalLoop(i int) {
	line := s.lx.toks[i].line
	for j := len(s.sigSources) - 1; j >= 0; j-- {
		src := s.sigSources[j]
		if src.line > line {
			continue
		}
		if src.line < line-5 {
			return
		}
		for _, sig := range src.sigs {
			s.emitTok(SignalHandler, i, sig)
		}
		return
	}
}

// signalArray returns the signal names of an array literal at open made
// only of signal strings, or nil.
func (s *fileScanner) signalArray(open int) []string {
	var sigs []string
	for j := open + 1; j < len(s.lx.toks) && j < open+64; j++ {
		switch {
		case s.isP(j, "]"):
			return sigs
		case s.isStr(j) && isSignal(s.val(j)):
			sigs = append(sigs, string(s.val(j)))
		case s.isP(j, ","):
		default:
			return nil
		}
	}
	return nil
}

// listen reports x.listen(arg, ...) with the first argument's source text.
func (s *fileScanner) listen(i int) {
	open := i + 1
	e := s.closeOf(open)
	a := open + 1
	detail := ""
	if a < e {
		end := s.argEnd(a, e)
		if end > a {
			detail = sourceText(s.lx.src[s.lx.toks[a].start:s.lx.toks[end-1].end])
		}
	}
	s.emitTok(Listen, i, detail)
}

// route reports app.get('/path', ...) style routes; name is the method
// token at i. app.route('/p').get(...).post(...) yields one route per
// chained method; fastify.route({method, url}) is read from the object.
func (s *fileScanner) route(i int, name string) {
	a := i + 2
	if name != "route" {
		if s.isStr(a) && isRoutePath(s.val(a)) {
			s.emitTok(Route, i-2, routeMethods[name]+" "+string(s.val(a)))
		}
		return
	}
	if s.isStr(a) && isRoutePath(s.val(a)) {
		path := string(s.val(a))
		e := s.closeOf(i + 1)
		for n := 0; n < 16 && s.isMember(e+1) && s.isKind(e+2, tIdent) && s.isP(e+3, "("); n++ {
			if m := routeMethods[string(s.text(e+2))]; m != "" {
				s.emitTok(Route, e+2, m+" "+path)
			}
			e = s.closeOf(e + 3)
		}
		return
	}
	if s.isP(a, "{") {
		e := min(s.closeOf(a), a+maxArg)
		var methods []string
		path := ""
		for j := a + 1; j < e; j++ {
			if !s.isP(j+1, ":") {
				continue
			}
			switch {
			case s.isI(j, "method") && s.isStr(j+2):
				methods = append(methods, strings.ToUpper(string(s.val(j+2))))
			case s.isI(j, "method") && s.isP(j+2, "["):
				for k := j + 3; k < e && !s.isP(k, "]"); k++ {
					if s.isStr(k) {
						methods = append(methods, strings.ToUpper(string(s.val(k))))
					}
				}
			case (s.isI(j, "url") || s.isI(j, "path")) && s.isStr(j+2) && isRoutePath(s.val(j+2)):
				path = string(s.val(j + 2))
			}
		}
		if path != "" {
			for _, m := range methods {
				s.emitTok(Route, i-2, m+" "+path)
			}
		}
	}
}

// urlCompare reports `req.url === '/health'` (and == / pathname) as a
// route. The method is taken from a `method === 'X'` comparison within a
// few tokens on the same line, else GET.
func (s *fileScanner) urlCompare(i int) {
	if !(s.isP(i+1, "===") || s.isP(i+1, "==")) || !s.isStr(i+2) || !isRoutePath(s.val(i+2)) {
		return
	}
	method := "GET"
	for j := max(0, i-12); j < len(s.lx.toks) && j < i+14; j++ {
		if s.lx.toks[j].line == s.lx.toks[i].line && s.isI(j, "method") && (s.isP(j+1, "===") || s.isP(j+1, "==")) && s.isStr(j+2) {
			method = strings.ToUpper(string(s.val(j + 2)))
			break
		}
	}
	s.emitTok(Route, i, method+" "+string(s.val(i+2)))
}

// isPortName: port, PORT, Port, or a name ending in Port, PORT or _port
// (HTTP_PORT, serverPort, http_port); not export, report or support.
func isPortName(b []byte) bool {
	return bytes.HasSuffix(b, []byte("PORT")) || bytes.HasSuffix(b, []byte("Port")) ||
		string(b) == "port" || bytes.HasSuffix(b, []byte("_port"))
}

// portAssign reports `PORT = 3001`, `port: 3001` and `PORT: number = 3001`
// for an identifier at i with a port name (isPortName).
func (s *fileScanner) portAssign(i int) {
	k := i + 1
	if b := s.text(i); b[len(b)-1] == 't' && k < len(s.lx.toks) {
		// lower-case port: only spaces or tabs before = or :, as the
		// prefilter checks.
		for _, c := range s.lx.src[s.lx.toks[i].end:s.lx.toks[k].start] {
			if c != ' ' && c != '\t' {
				return
			}
		}
	}
	switch {
	case s.isP(k, "="):
		k++
	case s.isP(k, ":") && s.isKind(k+1, tIdent) && s.isP(k+2, "="):
		k += 3
	case s.isP(k, ":"):
		k++
	default:
		return
	}
	s.portNumber(k)
}

// portAfterEnv reports the default in `process.env.PORT || 3001`,
// `?? 3001`, `Number(process.env.PORT) || 3001` and
// `parseInt(process.env.PORT, 10) || 3001`; k is the token after PORT.
func (s *fileScanner) portAfterEnv(k int) {
	for n := 0; n < 8 && k < len(s.lx.toks); n++ {
		switch {
		case s.isP(k, ")") || s.isP(k, ",") || s.isKind(k, tNum):
			k++
		case s.isP(k, "||") || s.isP(k, "??"):
			k++
			for s.isP(k, "(") {
				k++
			}
			s.portNumber(k)
			return
		default:
			return
		}
	}
}

// portNumber emits PortDefault when token k is a port number literal
// (decimal 1..65535, or a string of such digits).
func (s *fileScanner) portNumber(k int) {
	var v []byte
	switch {
	case s.isKind(k, tNum):
		v = s.text(k)
	case s.isStr(k):
		v = s.val(k)
	default:
		return
	}
	if isPort(v) {
		s.emitTok(PortDefault, k, string(v))
	}
}

// stringMention reports handshake-looking text inside a string or
// template chunk as a ReadyMention in string context.
func (s *fileScanner) stringMention(i int) {
	t := s.lx.toks[i]
	s.textMentions(int(t.vs), int(t.ve), t.line, InString)
}

// textMentions looks for handshake-looking text (and, in comments, PM2
// option names) in src[from:to], whose first byte is on line.
func (s *fileScanner) textMentions(from, to int, line int32, c Context) {
	s.out = appendMentions(s.out, s.path, s.lx.src, from, to, line, c)
}

// appendMentions is shared with Doc. In comments and docs it reports
// handshake-looking text both as ReadyMention and as an OptionMention of
// HandshakeDetail, and each PM2 option name as OptionMention; in strings
// only the ReadyMention.
func appendMentions(out []Evidence, path string, src []byte, from, to int, line int32, c Context) []Evidence {
	text := src[from:to]
	options := c != InString
	if bytes.Contains(text, []byte("ready")) {
		lc := lineCounter{text: text, line: line}
		for _, m := range handshakeText.FindAllIndex(text, -1) {
			l := lc.at(m[0])
			reason := mentionReason(c)
			out = append(out, Evidence{Kind: ReadyMention, Context: c, Path: path, Line: int(l), Detail: reason, Text: lineText(src, from+m[0])})
			if options {
				out = append(out, Evidence{Kind: OptionMention, Context: c, Path: path, Line: int(l), Detail: HandshakeDetail, Text: lineText(src, from+m[0])})
			}
		}
	}
	if !options {
		return out
	}
	for _, opt := range optionNames {
		lc := lineCounter{text: text, line: line}
		for off := 0; off < len(text); {
			j := bytes.Index(text[off:], []byte(opt))
			if j < 0 {
				break
			}
			p := off + j
			off = p + len(opt)
			if (p > 0 && isWordByte(text[p-1])) || (off < len(text) && isWordByte(text[off])) {
				continue
			}
			l := lc.at(p)
			out = append(out, Evidence{Kind: OptionMention, Context: c, Path: path, Line: int(l), Detail: opt, Text: lineText(src, from+p)})
		}
	}
	return out
}

// lineCounter maps increasing offsets in text to line numbers in linear
// total time.
type lineCounter struct {
	text []byte
	pos  int
	line int32
}

func (c *lineCounter) at(p int) int32 {
	if p < c.pos {
		c.line -= int32(bytes.Count(c.text[p:c.pos], []byte("\n")))
	} else {
		c.line += int32(bytes.Count(c.text[c.pos:p], []byte("\n")))
	}
	c.pos = p
	return c.line
}

func mentionReason(c Context) string {
	switch c {
	case InComment:
		return MentionComment
	case InString:
		return MentionString
	}
	return MentionDoc
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z') || isDigit(c)
}

// isSignal reports whether v looks like a POSIX signal name (SIGTERM).
func isSignal(v []byte) bool {
	if len(v) < 4 || len(v) > 12 || !bytes.HasPrefix(v, []byte("SIG")) {
		return false
	}
	for _, c := range v[3:] {
		if !(c >= 'A' && c <= 'Z' || isDigit(c)) {
			return false
		}
	}
	return true
}

// isPort reports whether v is a decimal port number 1..65535.
func isPort(v []byte) bool {
	if len(v) == 0 || len(v) > 5 || v[0] == '0' {
		return false
	}
	n := 0
	for _, c := range v {
		if !isDigit(c) {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n >= 1 && n <= 65535
}

func isRoutePath(v []byte) bool {
	return len(v) > 0 && len(v) <= 200 && (v[0] == '/' || string(v) == "*") && !bytes.ContainsAny(v, "\n\r")
}

// routeReceiver: app, router, server, fastify, hono as a prefix or suffix
// of the receiver name, any case (adminRouter, expressApp, appServer).
func routeReceiver(name string) bool {
	n := strings.ToLower(name)
	for _, w := range [...]string{"app", "router", "server", "fastify", "hono"} {
		if strings.HasPrefix(n, w) || strings.HasSuffix(n, w) {
			return true
		}
	}
	return false
}

// closeReceiver: a receiver whose name contains server, http, fastify or
// listener, or starts or ends with app (server.close, httpServer.close,
// app.close, fastify.close). db.close and stream.close do not count.
func closeReceiver(name string) bool {
	n := strings.ToLower(name)
	for _, w := range [...]string{"server", "http", "fastify", "listener"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return strings.HasPrefix(n, "app") || strings.HasSuffix(n, "app")
}

// containsReady reports whether b contains ready, Ready or READY (the
// spellings the prefilter lets through).
func containsReady(b []byte) bool {
	return bytes.Contains(b, []byte("ready")) || bytes.Contains(b, []byte("Ready")) || bytes.Contains(b, []byte("READY"))
}

// sourceText collapses whitespace runs to one space and caps the length.
func sourceText(b []byte) string {
	var sb strings.Builder
	space := false
	for _, c := range bytes.TrimSpace(b) {
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			space = true
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteByte(c)
		if sb.Len() > maxTextLen+utf8.UTFMax {
			break
		}
	}
	return validText(sb.String())
}

// lineText returns the trimmed line around src[off], valid UTF-8, at most
// maxTextLen bytes. On very long lines (minified code) the text starts a
// little before off so that the match stays visible.
func lineText(src []byte, off int) string {
	off = min(max(off, 0), len(src))
	start := off
	for start > 0 && src[start-1] != '\n' && off-start <= maxTextLen/2 {
		start--
	}
	if start > 0 && src[start-1] != '\n' { // line starts far before off
		start = max(off-40, 0)
		for start < off && !utf8.RuneStart(src[start]) {
			start++
		}
	}
	for start < len(src) && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	end := start
	for end < len(src) && src[end] != '\n' && end-start < maxTextLen+utf8.UTFMax {
		end++
	}
	b := bytes.TrimSpace(src[start:end])
	if len(b) > maxTextLen {
		b = []byte(truncate(string(b), maxTextLen))
	}
	return validText(string(b))
}

// validText returns s as valid UTF-8 of at most maxTextLen bytes.
func validText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return truncate(s, maxTextLen)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// sortEvidence sorts by path, line, kind, context, detail and drops
// duplicates.
func sortEvidence(ev []Evidence) []Evidence {
	if !slices.IsSortedFunc(ev, compareEvidence) {
		slices.SortFunc(ev, compareEvidence)
	}
	out := ev[:0]
	for _, e := range ev {
		if len(out) > 0 && e == out[len(out)-1] {
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// compareEvidence orders by path, line, kind, context, detail, text.
func compareEvidence(a, b Evidence) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := a.Line - b.Line; c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Context), string(b.Context)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Detail, b.Detail); c != 0 {
		return c
	}
	return strings.Compare(a.Text, b.Text)
}
