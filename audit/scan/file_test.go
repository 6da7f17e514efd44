package scan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// ev formats evidence as "line kind context detail" for comparison.
func ev(es []Evidence) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%d %s %s %s", e.Line, e.Kind, e.Context, e.Detail))
	}
	return out
}

func TestFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		// The handshake PM2 accepts (docs/pm2-behaviour.md#wait-ready-message), in its real forms.
		{"single quotes", `process.send('ready');`, []string{"1 ready-handshake code process.send('ready')"}},
		{"double quotes", `process.send("ready")`, []string{"1 ready-handshake code process.send('ready')"}},
		{"template without substitution", "process.send(`ready`)", []string{"1 ready-handshake code process.send('ready')"}},
		{"optional call", `process.send?.('ready')`, []string{"1 ready-handshake code process.send('ready')"}},
		{"guarded with &&", `process.send && process.send('ready')`, []string{"1 ready-handshake code process.send('ready')"}},
		{"guarded with if", "if (process.send) {\n  process.send('ready')\n}", []string{"2 ready-handshake code process.send('ready')"}},
		{"typeof guard", `typeof process.send === 'function' && process.send('ready')`, []string{"1 ready-handshake code process.send('ready')"}},
		{"extra callback argument", `process.send('ready', () => {})`, []string{"1 ready-handshake code process.send('ready')"}},
		{"across line breaks", "x();\nprocess\n  .send(\n    'ready'\n  );", []string{"2 ready-handshake code process.send('ready')"}},
		{"bracket member", `process['send']('ready')`, []string{"1 ready-handshake code process.send('ready')"}},
		{"const holding ready", "const READY = 'ready';\nprocess.send(READY);", []string{"2 ready-handshake code process.send('ready')"}},
		{"typescript as const and non-null", "process.send?.('ready' as const);\nprocess.send!('ready');",
			[]string{"1 ready-handshake code process.send('ready')", "2 ready-handshake code process.send('ready')"}},
		{"typescript casts", "(process as any).send('ready');\n(<any>process).send('ready');\n(process as NodeJS.Process).send!('ready');",
			[]string{"1 ready-handshake code process.send('ready')", "2 ready-handshake code process.send('ready')", "3 ready-handshake code process.send('ready')"}},
		{"cast of something else", "(worker as any).send('ready');", []string{"1 ready-mention code not-process-send"}},
		{"inside template substitution is code", "const s = `x ${process.send('ready')} y`;", []string{"1 ready-handshake code process.send('ready')"}},
		{"after regex literal containing a quote", "const q = /'/g;\nconst r = /[/\"]/;\nprocess.send('ready');",
			[]string{"3 ready-handshake code process.send('ready')"}},
		{"division is not a regex", "const a = b / 2; process.send('ready'); const c = d / 3;", []string{"1 ready-handshake code process.send('ready')"}},

		// What is not a handshake.
		{"object type ready", `process.send({type:'ready'})`, []string{"1 ready-mention code object-message"}},
		{"process:msg object", "process.send({\n  type: 'process:msg',\n  data: 'ready'\n})", []string{"1 ready-mention code object-message"}},
		{"ready-ish string", `process.send('ready-ish')`, []string{"1 ready-mention code not-exact-ready"}},
		{"concatenation", `process.send('ready' + id)`, []string{"1 ready-mention code not-exact-ready"}},
		{"template with substitution", "process.send(`ready ${id}`)", []string{"1 ready-mention code not-exact-ready"}},
		{"other receiver", `worker.send('ready')`, []string{"1 ready-mention code not-process-send"}},
		{"event listener of another library", `client.on('ready', () => {})`, []string{"1 ready-mention code event-name"}},
		{"emit ready", "emitter.emit('ready');\nprocess.emit('ready');", []string{"1 ready-mention code event-name", "2 ready-mention code event-name"}},
		{"line comment", `// process.send('ready')`,
			[]string{"1 option-mention comment process.send('ready')", "1 ready-mention comment comment"}},
		{"block comment across lines", "/*\n * then\n * process.send('ready')\n */",
			[]string{"3 option-mention comment process.send('ready')", "3 ready-mention comment comment"}},
		{"log string", `console.log("send process.send('ready')")`, []string{"1 ready-mention string string"}},
		{"escaped quotes in string", `log("process.send(\"ready\") sent")`, []string{"1 ready-mention string string"}},
		{"template literal text", "const s = `\nprocess.send('ready')`;", []string{"2 ready-mention string string"}},
		{"string with slash then quote", "const u = '/'; const v = \"'\"; process.send('ready');", []string{"1 ready-handshake code process.send('ready')"}},
		{"unrelated ready string", `const status = 'ready';`, nil},
		{"object message with ready as the handle argument", `process.send({ ok: true }, 'ready')`, nil},

		// Aliases of process.send, followed only as far as the file
		// resolves them (docs/pm2-behaviour.md#wait-ready-message; Node's send needs process as this).
		{"bound alias", "const send = process.send.bind(process);\nsend('ready');", []string{"2 ready-handshake code process.send('ready')"}},
		{"bound alias, optional chaining", "const send = process.send?.bind(process);\nsend?.('ready');", []string{"2 ready-handshake code process.send('ready')"}},
		{"bound alias, TypeScript", "const send: (m: string) => boolean = process.send!.bind(process);\nsend('ready');",
			[]string{"2 ready-handshake code process.send('ready')"}},
		{"bound alias with a dynamic message", "const send = process.send.bind(process);\nsend(msg);", []string{"2 possible-handshake code msg"}},
		{"bind then call", "process.send.bind(process)('ready');", []string{"1 ready-handshake code process.send('ready')"}},
		{"call with process", "process.send.call(process, 'ready');\nprocess.send?.call(process, 'ready');",
			[]string{"1 ready-handshake code process.send('ready')", "2 ready-handshake code process.send('ready')"}},
		{"apply with process", "process.send.apply(process, ['ready']);\nprocess.send.apply(process, args);",
			[]string{"1 ready-handshake code process.send('ready')", "2 possible-handshake code args"}},
		{"call through a TypeScript cast", "(process as any).send.call(process, 'ready');", []string{"1 ready-handshake code process.send('ready')"}},
		{"destructured send is unbound", "const { send } = process;\nsend('ready');", []string{"2 ready-mention code unbound-send"}},
		{"renamed destructured send is unbound", "const { env, send: notify } = process;\nnotify('ready');",
			[]string{"2 ready-mention code unbound-send"}},
		{"unbound alias called with process", "const { send } = process;\nsend.call(process, 'ready');",
			[]string{"2 ready-handshake code process.send('ready')"}},
		{"member read is unbound", "const send = process.send;\nsend('ready');", []string{"2 ready-mention code unbound-send"}},
		{"call with null or a literal this", "process.send.call(null, 'ready');\nprocess.send.call({}, 'ready');",
			[]string{"1 ready-mention code unbound-send", "2 ready-mention code unbound-send"}},
		{"call with an unknown this", "process.send.call(this, 'ready');", []string{"1 possible-handshake code 'ready'"}},
		{"alias reassigned: undecided", "let send = process.send.bind(process);\nif (test) send = noop;\nsend('ready');",
			[]string{"3 possible-handshake code 'ready'"}},
		{"alias declared two ways: undecided", "function a() { const send = process.send.bind(process); }\nfunction b() { const send = log; send('ready'); }",
			[]string{"2 possible-handshake code 'ready'"}},
		{"nested destructuring is not process.send", "const { a: { send } } = process;\nsend('ready');", nil},
		{"send of another object is not an alias", "const { send } = ipc;\nsend('ready');", nil},
		{"a method named like the alias is not a call", "const send = process.send.bind(process);\nclass Bus { send(msg) { return msg; } }", nil},
		{"declaring a function named send is not a call", "function send(m) { process.send(m); }\nsend('ready');",
			[]string{"1 possible-handshake code m"}},

		// Local constants: resolved only when every declaration agrees
		// and the name is never reassigned.
		{"let never reassigned", "let READY = 'ready';\nprocess.send(READY);", []string{"2 ready-handshake code process.send('ready')"}},
		{"let reassigned", "let READY = 'ready';\nREADY = 'x';\nprocess.send(READY);", []string{"3 possible-handshake code READY"}},
		{"let incremented", "let READY = 'ready';\nREADY++;\nprocess.send(READY);", []string{"3 possible-handshake code READY"}},
		{"imported name shadowed by a local const", "import { READY } from './ipc';\nfunction f() { const READY = 'ready'; }\nprocess.send(READY);",
			[]string{"3 possible-handshake code READY"}},
		{"default and namespace imports", "import READY, * as ns from './ipc';\nfunction f() { const READY = 'ready'; }\nprocess.send(READY);",
			[]string{"3 possible-handshake code READY"}},
		{"same name, other value elsewhere", "function a() { const M = 'ready'; }\nfunction b() { const M = 'x'; process.send(M); }",
			[]string{"2 possible-handshake code M"}},
		{"const holding another message", "const MSG = 'online';\nprocess.send(MSG);", nil},
		{"const holding a ready-ish message", "const MSG = 'ready!';\nprocess.send(MSG);", []string{"2 ready-mention code not-exact-ready"}},
		{"several declarators", "const A = 1, READY = 'ready', B = f(x, y);\nprocess.send(READY);", []string{"2 ready-handshake code process.send('ready')"}},
		{"typed const", "const READY: string = 'ready';\nprocess.send(READY);", []string{"2 ready-handshake code process.send('ready')"}},
		{"const then a statement on the next line", "const READY = 'ready'\nfoo()\nprocess.send(READY)", []string{"3 ready-handshake code process.send('ready')"}},
		{"const continued on the next line", "const READY = 'ready'\n  + suffix;\nprocess.send(READY);", []string{"3 possible-handshake code READY"}},

		// Messages decided at run time: possible, never claimed either way.
		{"variable message", "process.send(msg);", []string{"1 possible-handshake code msg"}},
		{"imported constant", "import { READY } from './ipc';\nprocess.send(READY);", []string{"2 possible-handshake code READY"}},
		{"call result", "process.send(getMessage());", []string{"1 possible-handshake code getMessage()"}},
		{"member", "process.send(MESSAGES.READY);", []string{"1 possible-handshake code MESSAGES.READY"}},
		{"spread", "process.send(...args);", []string{"1 possible-handshake code ...args"}},
		{"conditional with a literal is not copied", "process.send(ok ? 'ready' : 'error');", []string{"1 possible-handshake code expression"}},
		{"other literals are never copied", "process.send(token || 's3cr3t');", []string{"1 possible-handshake code expression"}},
		{"template of only a substitution", "process.send(`${state}`);", []string{"1 possible-handshake code expression"}},
		{"concatenation that may spell ready", "process.send('re' + rest);", []string{"1 possible-handshake code expression"}},
		{"concatenation that cannot", "process.send('status:' + s);\nprocess.send(`state ${s}`);", nil},
		{"values that are never a string", "process.send(null); process.send(42); process.send(!x); process.send(); process.send(new Msg());", nil},

		// cluster.worker.send is process.send in a cluster worker; the
		// rules decide by the app's mode (docs/pm2-behaviour.md#implicit-cluster-mode).
		{"cluster worker send", "cluster.worker.send('ready');\ncluster.worker?.send('ready');\ncluster.worker!.send?.('ready');",
			[]string{"1 worker-ready-handshake code cluster.worker.send('ready')", "2 worker-ready-handshake code cluster.worker.send('ready')", "3 worker-ready-handshake code cluster.worker.send('ready')"}},
		{"cluster worker object", "cluster.worker.send({ type: 'ready' });", []string{"1 ready-mention code object-message"}},
		{"other worker send", "worker.send('ready');\nthis.cluster.worker.send('ready');",
			[]string{"1 ready-mention code not-process-send", "2 ready-mention code not-process-send"}},

		// Signals.
		{"process.on SIGINT", `process.on('SIGINT', shutdown)`, []string{"1 signal-handler code SIGINT"}},
		{"once/addListener/prependListener", "process.once('SIGTERM', f);\nprocess.addListener(\"SIGHUP\", f);\nprocess.prependListener('SIGUSR2', f);",
			[]string{"1 signal-handler code SIGTERM", "2 signal-handler code SIGHUP", "3 signal-handler code SIGUSR2"}},
		{"for-of loop", "for (const sig of ['SIGINT', 'SIGTERM']) {\n  process.on(sig, () => stop(sig));\n}",
			[]string{"2 signal-handler code SIGINT", "2 signal-handler code SIGTERM"}},
		{"forEach", "['SIGINT','SIGTERM'].forEach(s => process.on(s, stop));",
			[]string{"1 signal-handler code SIGINT", "1 signal-handler code SIGTERM"}},
		{"const array used later", "const SIGNALS = ['SIGTERM'];\nfunction a() {}\n\n\n\n\n\nSIGNALS.forEach((s) => process.once(s, stop));",
			[]string{"8 signal-handler code SIGTERM"}},
		{"signal array too far away", "const l = ['SIGTERM'];\n\n\n\n\n\n\nfor (const s of x) process.on(s, f);", nil},
		{"not a signal event", `process.on('exit', f)`, nil},
		{"signal in comment", `// process.on('SIGTERM', f)`, nil},

		// Message handlers.
		{"shutdown message ===", "process.on('message', (msg) => {\n  if (msg === 'shutdown') close();\n});", []string{"1 shutdown-message code shutdown"}},
		{"shutdown message switch", "process.on('message', function (m) {\n switch (m) { case 'shutdown': stop(); }\n});", []string{"1 shutdown-message code shutdown"}},
		{"named handler", "function onMsg(m) { if (m == 'shutdown') stop(); }\nprocess.on('message', onMsg);", []string{"2 shutdown-message code shutdown"}},
		{"message without shutdown", "process.on('message', (m) => log(m));", []string{"1 message-handler code message"}},

		// Listen and close.
		{"listen PORT", `app.listen(PORT, () => {})`, []string{"1 listen code PORT"}},
		{"listen literal", `server.listen(3001)`, []string{"1 listen code 3001"}},
		{"listen expression", "http.createServer(h).listen(\n  process.env.PORT   || 3001,\n  cb)",
			[]string{"1 listen code process.env.PORT || 3001", "2 port-default code 3001"}},
		{"listen no args", `srv.listen()`, []string{"1 listen code "}},
		{"close server-like", "server.close(cb);\nhttpServer.close();\nfastify.close();\napp.close();",
			[]string{"1 close code server", "2 close code httpServer", "3 close code fastify", "4 close code app"}},
		{"db close is not a server", "db.close(); stream.close();", nil},

		// Routes.
		{"express routes", "app.get('/health', h);\nrouter.post(\"/api/items\", h);\nfastify.delete('/x/:id', h);",
			[]string{"1 route code GET /health", "2 route code POST /api/items", "3 route code DELETE /x/:id"}},
		{"route chain", "app.route('/book')\n  .get(h)\n  .put(h);", []string{"2 route code GET /book", "3 route code PUT /book"}},
		{"fastify route object", "fastify.route({ method: 'GET', url: '/ready', handler })", []string{"1 route code GET /ready"}},
		{"non literal path", "app.get(path, h); app.get(`/x/${y}`, h);", nil},
		{"spaced method is not read", "app.get ('/a', h); app. post('/b', h); if (req. url === '/c') {}", nil},
		{"map get is not a route", "cache.get('/health'); axios.get('/health');", nil},
		{"req.url comparison", "if (req.url === '/health') {}\nif (req.method === 'POST' && req.url == '/hook') {}",
			[]string{"1 route code GET /health", "2 route code POST /hook"}},

		// Port defaults.
		{"env PORT or", `const port = process.env.PORT || 3001;`, []string{"1 port-default code 3001"}},
		{"env PORT nullish", `const port = process.env.PORT ?? 8080;`, []string{"1 port-default code 8080"}},
		{"Number(env) or", `const port = Number(process.env.PORT) || 3001;`, []string{"1 port-default code 3001"}},
		{"parseInt(env, 10) or string", `const port = parseInt(process.env.HTTP_PORT, 10) || '4000';`, []string{"1 port-default code 4000"}},
		{"const PORT", "const PORT = 3001;\nlet port: number = 3002;", []string{"1 port-default code 3001", "2 port-default code 3002"}},
		{"out of range and non decimal", "const PORT = 70000; const port = 0x50; const p2port = 0;", nil},
		{"port name spellings", "const serverPort = 1; const http_port = 2; HTTP_PORT = 3; export = 4; report = 5;",
			[]string{"1 port-default code 1", "1 port-default code 2", "1 port-default code 3"}},
		{"lower-case port before a line break", "const port\n  = 3000;", nil},

		// Options in comments.
		{"option names in comments", "// wait_ready and listen_timeout\n/* kill_timeout, shutdown_with_message */\nconst wait_ready = 1; // not_wait_ready",
			[]string{"1 option-mention comment listen_timeout", "1 option-mention comment wait_ready", "2 option-mention comment kill_timeout", "2 option-mention comment shutdown_with_message"}},

		// Prefilter: files that cannot match produce nothing.
		{"byte order mark and hashbang", "\xEF\xBB\xBF#!/usr/bin/env node\nprocess.send('ready')", []string{"2 ready-handshake code process.send('ready')"}},
		{"non UTF-8 bytes around", "\xff\xfe = 1;\nprocess.send('ready') // \xc3", []string{"2 ready-handshake code process.send('ready')"}},
		{"nothing to find", "import x from 'y';\nexport default function f() { return 1 }", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ev(File("svc/a.js", []byte(tt.src)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("File(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
		})
	}
}

// TestFileEvidenceFields checks path, text trimming and the 200-byte cap.
func TestFileEvidenceFields(t *testing.T) {
	long := "    process.send('ready'); // " + strings.Repeat("é", 300)
	got := File("svc/index.js", []byte("x\n"+long))
	if len(got) != 1 {
		t.Fatalf("got %d evidence, want 1: %v", len(got), got)
	}
	e := got[0]
	if e.Path != "svc/index.js" || e.Line != 2 || e.Kind != Handshake || e.Context != InCode {
		t.Errorf("evidence = %+v", e)
	}
	if !strings.HasPrefix(e.Text, "process.send('ready');") || len(e.Text) > maxTextLen {
		t.Errorf("Text = %q (len %d), want trimmed line capped at %d bytes", e.Text, len(e.Text), maxTextLen)
	}
	if strings.ContainsRune(e.Text, '\uFFFD') {
		t.Errorf("Text cut inside a rune: %q", e.Text)
	}
}

func TestDoc(t *testing.T) {
	src := "# Init\n\nSet `wait_ready: true` and `listen_timeout`.\nThe app calls process.send('ready') when up.\nawait_ready is not an option.\n"
	got := ev(Doc("docs/INIT.md", []byte(src)))
	want := []string{
		"3 option-mention doc listen_timeout",
		"3 option-mention doc wait_ready",
		"4 option-mention doc process.send('ready')",
		"4 ready-mention doc doc",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Doc\n got: %q\nwant: %q", got, want)
	}
	if got := Doc("README.md", []byte("nothing here")); got != nil {
		t.Errorf("Doc without mentions = %v, want nil", got)
	}
}

// TestPrefilter: files that cannot match are not lexed, and every anchor
// lets its file through.
func TestPrefilter(t *testing.T) {
	for _, src := range []string{
		"process", "x.listen(1)", "s.close()", "ready", "shutdown", "PORT", "Port", "kill_timeout",
		"app.get('/')", "r.post('/')", "r.put('/')", "r.delete('/')", "r.patch('/')", "r.all('/')",
		"r.head('/')", "r.options('/')", "r.route('/')", "req.url", "req.path", "pathname",
		"port = 1", "port: 1", "port\t= 1",
	} {
		if !mayMatchSource([]byte(src)) {
			t.Errorf("mayMatchSource(%q) = false", src)
		}
	}
	for _, src := range []string{
		"import x from 'y'; export default x;", "const a = b.c(d).e;", "report(); support;", "x.",
	} {
		if mayMatchSource([]byte(src)) {
			t.Errorf("mayMatchSource(%q) = true", src)
		}
	}
}
