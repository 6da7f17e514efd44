package scan

import "testing"

func TestHandshakeGuard(t *testing.T) {
	for _, c := range []struct {
		src, guard string
		line       int
	}{
		{"process.send('ready');", "", 0},
		{"if (process.env.NODE_ENV === 'production') process.send?.('ready');", "process.env.NODE_ENV === 'production'", 1},
		{"if (process.env.NODE_ENV === 'production') {\n  server.listen(3000, () => {\n    process.send('ready');\n  });\n}", "process.env.NODE_ENV === 'production'", 1},
		{"if (isProd) {\n  x();\n} else {\n  process.send('ready');\n}", "!(isProd)", 1},
		{"const ok = a;\nok && process.send('ready');", "ok", 2},
		{"if (process.send) process.send('ready');", "", 0},
		{"if (typeof process.send === 'function') {\n process.send('ready');\n}", "", 0},
		{"if (a) { b(); }\nprocess.send('ready');", "", 0},
		{"function f() { if (x) return; }\nserver.listen(1, () => { process.send('ready') });", "", 0},
	} {
		var hs []Evidence
		for _, e := range File("f.js", []byte(c.src)) {
			if e.Kind == Handshake {
				hs = append(hs, e)
			}
		}
		if len(hs) != 1 || hs[0].Guard != c.guard || hs[0].GuardLine != c.line {
			t.Errorf("%q: handshakes %+v, want guard %q at line %d", c.src, hs, c.guard, c.line)
		}
	}
}
