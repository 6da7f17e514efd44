package ecosystem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestParseErrors checks that every kind of bad input yields a
// *ParseError with a clear message and, where it is known, the line.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{"js syntax error", "ecosystem.config.js", "module.exports = {\n  apps: [\n    { name: 'a', script: }\n  ]\n};\n", 3, "syntax error"},
		{"esm syntax error keeps original line", "ecosystem.config.mjs", "export default {\n  apps: [\n\n    { name: 'a' script: 'x' },\n  ],\n};\n", 4, "syntax error"},
		{"ts syntax error", "ecosystem.config.ts", "const a: number = ;\nmodule.exports = {};\n", 1, "syntax error"},
		{"json syntax error", "ecosystem.json", "{\n  \"apps\": [\n    {\"name\": \"a\",, }\n  ]\n}\n", 3, "syntax error"},
		{"json with trailing line comment fails as in PM2", "ecosystem.json", "{ apps: [] } // no newline", 1, "syntax error"},
		{"yaml syntax error", "ecosystem.yml", "apps:\n  - name: a\n\t  script: b\n", 0, "YAML syntax error"},
		{"binary", "ecosystem.config.js", "\x7fELF\x02\x01\x01\x00\x00\x00", 1, "binary"},
		{"too large", "ecosystem.config.js", "module.exports = {apps: []};\n" + strings.Repeat("// padding\n", 2<<20/11+1), 0, "1 MiB"},
		{"deep arrays", "ecosystem.config.js", "module.exports = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000), 1, "nesting deeper than 100"},
		{"deep json", "ecosystem.json", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), 1, "nesting deeper than 100"},
		{"deep objects on many lines", "ecosystem.config.js", "module.exports = " + strings.Repeat("{a:\n", 500) + "1" + strings.Repeat("}", 500), 101, "nesting deeper than 100"},
		{"deep template substitutions", "ecosystem.config.js", "module.exports = " + strings.Repeat("`${", 5000) + "1" + strings.Repeat("}`", 5000), 1, "nesting deeper than 100"},
		{"brackets hidden from the lexer", "ecosystem.config.js", "x = /'/; " + strings.Repeat("[", 200000), 0, "brackets, over the limit"},
		{"deep yaml flow", "ecosystem.yml", "apps: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000), 0, ""},
		{"too many elements", "ecosystem.config.js", "module.exports = {apps: [" + strings.Repeat("1,", MaxElements+1) + "]};", 1, "over the limit of 10000"},
		{"billion laughs", "ecosystem.config.js", laughs(), 0, "expands to more than"},
		{"yaml billion laughs", "ecosystem.yml", yamlLaughs(), 0, "expands to more than"},
		{"function that doubles itself", "ecosystem.config.js", "function f(n) { return [f(n), f(n)]; }\nmodule.exports = {apps: [{name: 'x', script: 'a.js', args: f(1)}]};\n", 0, "expands to more than"},
		{"maps of maps", "ecosystem.config.js", mapLaughs(), 0, "expands to more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(context.Background(), tc.path, []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse succeeded with %d apps; want an error", len(f.Apps))
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if tc.wantLine > 0 && pe.Line != tc.wantLine {
				t.Errorf("line = %d, want %d (%v)", pe.Line, tc.wantLine, err)
			}
			// Only what node refuses too is a syntax error; the rest are
			// auditbot's own limits.
			wantKind := KindLimit
			switch {
			case tc.name == "binary":
				wantKind = KindBinary
			case tc.name == "too large":
				wantKind = KindSize
			case strings.Contains(tc.wantMsg, "syntax error"):
				wantKind = KindSyntax
			}
			if tc.wantMsg != "" && pe.Kind != wantKind {
				t.Errorf("kind = %q, want %q (%v)", pe.Kind, wantKind, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tc.wantMsg)
			}
			if pe.Path != tc.path {
				t.Errorf("error path = %q, want %q", pe.Path, tc.path)
			}
		})
	}
}

// laughs builds bindings that double at each level: 2^30 values if
// expanded naively.
func laughs() string {
	var b strings.Builder
	b.WriteString("const l0 = ['lol'];\n")
	for i := 1; i <= 30; i++ {
		b.WriteString("const l" + itoa(i) + " = [...l" + itoa(i-1) + ", ...l" + itoa(i-1) + "];\n")
	}
	b.WriteString("module.exports = {apps: l30};\n")
	return b.String()
}

func yamlLaughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestParseCancelled checks that a cancelled context stops the parse.
func TestParseCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Parse(ctx, "ecosystem.config.js", []byte("module.exports = {apps: []}"))
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "cancel") {
		t.Fatalf("err = %v, want a cancellation ParseError", err)
	}
}

// TestWorstCaseRecursion feeds 1 MiB inputs made of the constructs that
// recurse in the parsers without brackets. None may crash the process
// (a stack overflow is fatal); each must either parse or fail cleanly.
func TestWorstCaseRecursion(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, unit := range []string{"!", "a=", "a?b:", "x=>", "-", "typeof ", "new ", "a**", "if(a)", "${", "a:", "(", "[", "{a:"} {
		n := (MaxFileSize - 100) / len(unit)
		for _, src := range []string{"module.exports = " + strings.Repeat(unit, n) + "1", strings.Repeat(unit, n)} {
			for _, name := range []string{"ecosystem.config.js", "ecosystem.config.mjs", "ecosystem.json"} {
				_, _ = Parse(context.Background(), name, []byte(src))
			}
		}
	}
}

// TestSecretsInKeysAndItems checks that credentials hidden in keys or in
// array items (not under a secret key) are masked too.
func TestSecretsInKeysAndItems(t *testing.T) {
	tok := "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
	for _, c := range []struct{ path, src string }{
		{"ecosystem.config.js", "module.exports = {apps: [{name: 'a', args: ['--x', '" + tok + "'], env: {'" + tok + "': 1}}]}"},
		{"ecosystem.yml", "apps:\n  - name: a\n    args: ['--x', " + tok + "]\n    env:\n      " + tok + ": 1\n"},
		{"ecosystem.config.js", "module.exports = {apps: [{name: 'a', env: {SECRET: compute('" + tok + "')}}]}"},
	} {
		f, err := Parse(context.Background(), c.path, []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		all, _ := json.Marshal(f)
		if strings.Contains(string(all), "ghp_") {
			t.Errorf("%s: token leaked: %s", c.path, all)
		}
	}
}

// TestNeverExecutes parses configs whose evaluation would create a file
// (through CommonJS, ESM via esbuild, TypeScript and JSON) and checks that
// nothing ran, and that a sourceMappingURL comment pointing at the file
// system is not followed.
func TestNeverExecutes(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "executed")
	code := "require('fs').writeFileSync(" + strconv.Quote(marker) + ", 'x')"
	for _, c := range []struct{ path, src string }{
		{"ecosystem.config.js", code + ";\nmodule.exports = {apps: [{name: 'a', script: " + code + "}]};\n//# sourceMappingURL=/etc/passwd\n"},
		{"ecosystem.config.mjs", "import fs from 'fs';\n" + code + ";\nexport default {apps: [{name: 'a'}]};\n//# sourceMappingURL=/etc/passwd\n"},
		{"ecosystem.config.ts", "const x: void = " + code + ";\nmodule.exports = {apps: []};\n"},
		{"ecosystem.json", "{apps: [{name: (" + code + ")}]}"},
	} {
		f, err := Parse(context.Background(), c.path, []byte(c.src))
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if len(f.Apps) > 0 && f.Apps[0].Name != "a" {
			if v, _ := f.Apps[0].Get("name"); v.Value.Kind != KindDynamic {
				t.Errorf("%s: name = %+v, want dynamic", c.path, v.Value)
			}
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("parsing executed the config: marker file exists")
	}
}

// mapLaughs is the billion laughs through list.map: each level maps a
// 10-element list to copies of the level below.
func mapLaughs() string {
	var b strings.Builder
	b.WriteString("const l0 = [1,2,3,4,5,6,7,8,9,10];\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "const l%d = l0.map(() => l%d);\n", i, i-1)
	}
	b.WriteString("module.exports = {apps: [{name: 'x', script: 'a.js', args: l8}]};\n")
	return b.String()
}

// A config that is not UTF-8 is read as Latin-1, as node loads it anyway
// (issue 8: "PM2 will not start any of its apps" was claimed).
func TestParseLatin1(t *testing.T) {
	src := "// producci\xf3n\nmodule.exports = {\n  apps: [{ name: 'caf\xe9', script: 'server.js' }]\n};\n"
	f, err := Parse(context.Background(), "ecosystem.config.js", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Apps) != 1 || f.Apps[0].Name != "café" {
		t.Fatalf("apps %+v, want one named café", f.Apps)
	}
	if f.Encoding == nil || f.Encoding.Name != "latin1" || f.Encoding.Line != 1 || f.Encoding.Column != 12 {
		t.Errorf("encoding %+v, want latin1 from line 1, column 12", f.Encoding)
	}
	// Non-ASCII strings of a UTF-8 file keep their text too (goja
	// holds them as UTF-16: they were read as its raw bytes).
	g, err := Parse(context.Background(), "ecosystem.config.js", []byte("module.exports = {apps: [{name: 'café', script: `caf${'é'}.js`}]};\n"))
	if err != nil || g.Encoding != nil {
		t.Fatalf("a UTF-8 file: %v, encoding %+v", err, g.Encoding)
	}
	if s, _ := g.Apps[0].Get("script"); g.Apps[0].Name != "café" || s.Value.Str != "café.js" {
		t.Errorf("name %q, script %q; want café and café.js", g.Apps[0].Name, s.Value.Str)
	}
}
