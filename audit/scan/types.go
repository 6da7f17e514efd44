// Package scan looks through a service's source for the facts PM2's
// configuration depends on: the ready handshake, shutdown handlers, listen
// and close calls, HTTP routes, and mentions of PM2 options in
// documentation. It reads source as text, aware of comments and strings,
// and never executes it.
package scan

// Context says where in a file a piece of evidence was found.
type Context string

// Evidence contexts.
const (
	InCode    Context = "code"
	InComment Context = "comment"
	InString  Context = "string"
	InDoc     Context = "doc" // documentation files (Markdown, text)
	// InTest: evidence found in a test file or fixture of the service
	// (*.test.js, *.spec.ts, __tests__/, test/, fixtures/... see IsTest).
	// PM2 never runs it: like documentation, it is not the service's
	// implementation, and rules that look for implementation (Context
	// code) do not count it.
	InTest Context = "test"
)

// Kind is what a piece of evidence shows.
type Kind string

// Evidence kinds.
const (
	// Handshake: the app tells PM2 it is ready, process.send('ready') in any
	// of its real forms, including a bound alias (send =
	// process.send.bind(process); send('ready')) and
	// process.send.call(process, 'ready'). Only counted as implementation
	// when Context is code.
	Handshake Kind = "ready-handshake"
	// PossibleHandshake: process.send (or a bound alias of it) called with
	// a message decided at run time, which the scan cannot resolve within
	// the file: process.send(msg), process.send(getMessage()),
	// process.send(ok ? 'ready' : 'error'). It may or may not be the
	// handshake; rules must not claim either. Detail is the argument as
	// written when it holds no string literal, else "expression".
	PossibleHandshake Kind = "possible-handshake"
	// WorkerHandshake: cluster.worker.send('ready'). In a Node.js cluster
	// worker, cluster.worker.send is process.send (the worker's process is
	// the process itself), so PM2 receives it when it runs the app in
	// cluster mode, where the app is a cluster worker (docs/pm2-behaviour.md#implicit-cluster-mode). In fork
	// mode cluster.worker is undefined and nothing reaches PM2. Rules
	// decide by the app's mode. Detail is WorkerDetail.
	WorkerHandshake Kind = "worker-ready-handshake"
	// ReadyMention: the word ready next to process.send but not a handshake
	// PM2 accepts (an object such as {type:'ready'}, a comment, a log line).
	ReadyMention Kind = "ready-mention"
	// SignalHandler: process.on/once/addListener('SIGINT'|'SIGTERM'|...).
	// Detail is the signal name.
	SignalHandler Kind = "signal-handler"
	// ShutdownMessage: a process.on('message') handler that handles the
	// 'shutdown' message PM2 sends with shutdown_with_message.
	ShutdownMessage Kind = "shutdown-message"
	// Listen: a server.listen(...) / app.listen(...) call. Detail is the
	// port expression as written (e.g. "PORT", "3001").
	Listen Kind = "listen"
	// Close: a server.close(...) call.
	Close Kind = "close"
	// Route: an HTTP route registered with a literal path, e.g.
	// app.get('/health', ...). Detail is "GET /health".
	Route Kind = "route"
	// OptionMention: a PM2 option name (wait_ready, listen_timeout,
	// kill_timeout, process.send...) mentioned in documentation or
	// comments. Detail is the option name.
	OptionMention Kind = "option-mention"
	// PortDefault: a default port in code such as `process.env.PORT || 3001`.
	// Detail is the number.
	PortDefault Kind = "port-default"
	// MessageHandler: a process.on('message') handler in which no
	// 'shutdown' string appears, so it does not handle the message PM2
	// sends with shutdown_with_message (docs/pm2-behaviour.md#shutdown-with-message). Detail is "message".
	MessageHandler Kind = "message-handler"
)

// Evidence is one fact found in a file.
type Evidence struct {
	Kind    Kind
	Context Context
	// Path is slash-separated and relative to the repository root.
	Path string
	// Line is 1-based.
	Line int
	// Detail is kind-specific (signal name, route, port, option).
	Detail string
	// Text is the source line, trimmed and shortened to at most 200 bytes.
	Text string
	// Guard, for a Handshake or WorkerHandshake, is the condition of the
	// nearest if (or the left side of &&) that the call depends on, as
	// written ("process.env.NODE_ENV === 'production'"); "!(cond)" for an
	// else branch. "" when the call is not guarded, or only by a check
	// that process.send exists (true under PM2). GuardLine is its line.
	Guard     string
	GuardLine int
}

// Result is what scanning a service found.
type Result struct {
	// Dir is the scanned directory (slash-separated, relative to the
	// repository root, "." for the root).
	Dir string
	// Files is the number of source files read; Skipped the number passed
	// over (too large, binary, generated output shadowed by sources).
	Files   int
	Skipped int
	// TestFiles is how many of Files are tests or fixtures (IsTest).
	TestFiles int
	// SkippedBy counts Skipped by reason (SkipTooLarge, SkipSymlink, ...);
	// nil when nothing was skipped.
	SkippedBy map[string]int
	// DocFiles is the number of documentation files read.
	DocFiles int
	// Evidence is sorted by path, line, kind, context, detail.
	Evidence []Evidence
	// Docs is evidence found in documentation files under Dir.
	Docs []Evidence
	// Truncated is true when a limit (files, bytes) stopped the scan early;
	// Limit says which.
	Truncated bool
	Limit     string
	// TooLarge names the files passed over for being bigger than
	// MaxFileSize (sorted), so that a report can say which were not read.
	// Their size is read from the object header: their content never is.
	TooLarge []string
}

// Has reports whether any evidence of kind k in context c was found.
func (r *Result) Has(k Kind, c Context) bool {
	for _, e := range r.Evidence {
		if e.Kind == k && e.Context == c {
			return true
		}
	}
	return false
}

// Filter returns the evidence of kind k in code.
func (r *Result) Filter(k Kind, c Context) []Evidence {
	var out []Evidence
	for _, e := range r.Evidence {
		if e.Kind == k && e.Context == c {
			out = append(out, e)
		}
	}
	return out
}
