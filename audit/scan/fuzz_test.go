package scan

import (
	"bytes"
	"slices"
	"testing"
	"unicode/utf8"
)

// checkEvidence asserts the invariants every piece of evidence keeps on
// any input: a line inside the file, a known context, valid and capped
// text, and the path given.
func checkEvidence(t *testing.T, src []byte, es []Evidence, contexts ...Context) {
	t.Helper()
	lines := bytes.Count(src, []byte("\n")) + 1
	for _, e := range es {
		if e.Line < 1 || e.Line > lines {
			t.Fatalf("line %d outside 1..%d: %+v", e.Line, lines, e)
		}
		if !slices.Contains(contexts, e.Context) {
			t.Fatalf("context %q not in %v: %+v", e.Context, contexts, e)
		}
		if !utf8.ValidString(e.Text) || len(e.Text) > maxTextLen || !utf8.ValidString(e.Detail) {
			t.Fatalf("invalid text or detail: %+v", e)
		}
		if e.Path != "f.js" {
			t.Fatalf("path %q", e.Path)
		}
	}
	if !slices.IsSortedFunc(es, cmpEvidence) {
		t.Fatalf("evidence not sorted: %v", es)
	}
}

func cmpEvidence(a, b Evidence) int {
	for _, c := range [...]int{
		cmpStr(a.Path, b.Path), a.Line - b.Line, cmpStr(string(a.Kind), string(b.Kind)),
		cmpStr(string(a.Context), string(b.Context)), cmpStr(a.Detail, b.Detail),
	} {
		if c != 0 {
			return c
		}
	}
	return 0
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func FuzzFile(f *testing.F) {
	for _, s := range []string{
		"process.send('ready')",
		"process.send?.(`ready`); // wait_ready\n/* process.send('ready') */",
		"const a = `x ${ `y ${ {a: '}'} }` } z`; process.send({type:'ready'})",
		"const r = /['\"`]/g; process.on('SIGTERM', f); ['SIGINT'].forEach(s => process.on(s, f))",
		"process.on('message', m => { switch (m) { case 'shutdown': } })",
		"app.route('/x').get(h).post(h); fastify.route({method:['GET','HEAD'], url:'/r'})",
		"const PORT = parseInt(process.env.PORT, 10) || 3001; server.listen(PORT); server.close()",
		"if (req.method === 'GET' && req.url === '/health') {}",
		"#!/usr/bin/env node\n'unterminated\n\"also\n`tmpl ${",
		"/* unterminated",
		"a = b\n/re/g.test(c)",
		"const send = process.send.bind(process);\nsend('ready'); send.call(process, msg)",
		"const { env, send: s } = process, [a, ...b] = x; s('ready'); let R = 'ready'; R += 1; process.send(R)",
		"process.send.apply(process, ['ready']); process.send?.call(this, ok ? 'ready' : x); cluster.worker?.send('ready')",
		"const READY: string = 'ready'\nfoo()\nprocess.send(READY, () => {})",
		"process.send(`${a}`); process.send('re' + b); process.send(...c); process.send.bind(process)(d)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		es := File("f.js", src)
		checkEvidence(t, src, es, InCode, InComment, InString)
		if again := File("f.js", src); !slices.Equal(es, again) {
			t.Fatalf("not deterministic")
		}
		// The prefilter is sound: lexing every file finds nothing more.
		var s fileScanner
		if all := s.scanAll("f.js", src, false); !slices.Equal(es, all) {
			t.Fatalf("prefilter dropped evidence:\nfiltered %v\nall      %v", es, all)
		}
		for _, e := range es {
			switch e.Kind {
			case Handshake, PossibleHandshake, WorkerHandshake:
				if e.Context != InCode {
					t.Fatalf("handshake outside code: %+v", e)
				}
			}
		}
		// As a test file: the same code evidence of the kinds kept from
		// tests, in Context test, and a sound test prefilter.
		ts := s.file("f.js", src, true)
		checkEvidence(t, src, ts, InTest)
		if all := s.scanAll("f.js", src, true); !slices.Equal(ts, all) {
			t.Fatalf("test prefilter dropped evidence:\nfiltered %v\nall      %v", ts, all)
		}
		var want []Evidence
		for _, e := range es {
			if isTestKind(e.Kind) {
				e.Context = InTest
				want = append(want, e)
			}
		}
		if !slices.Equal(ts, sortEvidence(want)) {
			t.Fatalf("test file evidence differs from the code evidence of the kinds kept:\ntest %v\nwant %v", ts, want)
		}
	})
}

func FuzzDoc(f *testing.F) {
	for _, s := range []string{
		"# x\nwait_ready: true\nprocess.send('ready')\n",
		"kill_timeout listen_timeout shutdown_with_message kill_signal",
		"process.send(\\\"ready\\\")",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		es := Doc("f.js", src)
		checkEvidence(t, src, es, InDoc)
		// The prefilter is sound.
		if all := sortEvidence(appendMentions(nil, "f.js", src, 0, len(src), 1, InDoc)); !slices.Equal(es, all) {
			t.Fatalf("prefilter dropped evidence:\nfiltered %v\nall      %v", es, all)
		}
		for _, e := range es {
			if e.Kind != OptionMention && e.Kind != ReadyMention {
				t.Fatalf("doc evidence of kind %q", e.Kind)
			}
		}
	})
}

// FuzzModule: Module finds the same evidence as File, its load prefilter
// is sound, and every load has a line of the file.
func FuzzModule(f *testing.F) {
	for _, s := range []string{
		"const a = require('./a'); import b from './b'; export * from '../c';",
		"import(`./x/${y}`); require('./r/' + n); require(name); import type { T } from './t';",
		"export { a } from './a'\nimport * as ns from \"./ns\"\nimport './side'",
		"require(\nimport(\nexport {\nfrom '",
		"obj.require('./m'); require.resolve('./r'); import.meta.url",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ev, loads := Module("m.js", src)
		if file := File("m.js", src); !slices.Equal(ev, file) {
			t.Fatalf("Module evidence differs from File's:\nmodule %v\nfile   %v", ev, file)
		}
		var s fileScanner
		s.scanAll("m.js", src, false)
		if all := s.loads(); !mayLoad(src) && len(all) > 0 {
			t.Fatalf("load prefilter dropped loads: %v", all)
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, l := range loads {
			if l.Line < 1 || l.Line > lines {
				t.Fatalf("load at line %d of a %d-line file: %+v", l.Line, lines, l)
			}
		}
	})
}
