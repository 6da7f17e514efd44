package ecosystem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/secret"
)

// fuzzNames are the names a fuzz input is parsed under, one per format.
var fuzzNames = []string{"ecosystem.config.js", "ecosystem.config.cjs", "ecosystem.config.mjs", "ecosystem.config.ts", "ecosystem.json", "ecosystem.yml"}

// FuzzParse parses arbitrary bytes as every format. Parse must never
// panic, must return either a file or a *ParseError, and a value under a
// secret key must always be masked.
func FuzzParse(f *testing.F) {
	dirs, _ := os.ReadDir("testdata")
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "fuzz" {
			continue
		}
		_ = filepath.WalkDir(filepath.Join("testdata", d.Name()), func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() && e.Name() != "expected.json" {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b, uint8(0))
				}
			}
			return nil
		})
	}
	f.Add([]byte("module.exports = {apps: [{password: `${x}`}]}"), uint8(0))
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		name := fuzzNames[int(which)%len(fuzzNames)]
		file, err := Parse(context.Background(), "svc/"+name, src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		for _, a := range file.Apps {
			checkMasked(t, a.Fields, false)
		}
		for _, u := range file.Unresolved {
			if u.Line < 0 || u.Line > file.Lines+1 {
				t.Fatalf("unresolved line %d outside the file (%d lines)", u.Line, file.Lines)
			}
		}
		if _, err := json.Marshal(file); err != nil {
			// Value.Num follows JavaScript (Infinity, NaN), which JSON
			// cannot hold; the engine's document writes those as
			// strings. Anything else must marshal.
			var uv *json.UnsupportedValueError
			if !errors.As(err, &uv) || !strings.Contains(uv.Str, "Inf") && uv.Str != "NaN" {
				t.Fatalf("result does not marshal: %v", err)
			}
		}
	})
}

func checkMasked(t *testing.T, fields []Field, under bool) {
	for _, f := range fields {
		sk := under || secret.IsSecretKey(f.Key)
		if sk && (!f.Value.Secret || (f.Value.Kind == KindString && f.Value.Str != secret.Mask)) {
			t.Fatalf("field %q not masked: %+v", f.Key, f.Value)
		}
		checkMasked(t, f.Value.Fields, sk)
		for _, it := range f.Value.Items {
			if sk && !it.Secret {
				t.Fatalf("item under %q not masked: %+v", f.Key, it)
			}
			checkMasked(t, it.Fields, sk)
		}
	}
}

// benchConfig builds a CommonJS config with n apps in the seed's style.
func benchConfig(n int) []byte {
	var b strings.Builder
	b.WriteString("const path = require('path');\nconst common = { exec_mode: 'fork', autorestart: true, kill_timeout: 5000 };\nmodule.exports = {\n  apps: [\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `    {
      ...common,
      name: 'svc-%d',
      script: path.join(__dirname, 'services/svc-%d/index.js'),
      instances: 1,
      env: { NODE_ENV: 'production', PORT: process.env.PORT_%d || %d, DB_PASSWORD: 'x' },
      max_memory_restart: '1G',
      node_args: '--max-old-space-size=2048',
      wait_ready: true,
      listen_timeout: 10000,
    },
`, i, i, i, 3000+i)
	}
	b.WriteString("  ],\n};\n")
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	seed, err := os.ReadFile("testdata/cjs_seed/services/session-manager/ecosystem.config.js")
	if err != nil {
		b.Fatal(err)
	}
	esm, err := os.ReadFile("testdata/esm_default_mjs/ecosystem.config.mjs")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, path string
		src        []byte
	}{
		{"typical", "services/session-manager/ecosystem.config.js", seed},
		{"typical-esm", "ecosystem.config.mjs", esm},
		{"large-500-apps", "ecosystem.config.js", benchConfig(500)},
		{"large-500-apps-esm", "ecosystem.config.mjs", benchConfig(500)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(context.Background(), c.path, c.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
