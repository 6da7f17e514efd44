package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testNow is the injected date of every golden document.
var testNow = time.Date(2026, 2, 25, 9, 30, 0, 0, time.UTC)

// loadDoc reads testdata/<name>/document.json; the "demo" case is the
// real engine's document of auditbot's built-in example instead, so its
// goldens follow what users see with `auditbot demo`.
func loadDoc(t testing.TB, name string) *audit.Document {
	t.Helper()
	if name == "demo" {
		return demoDoc(t)
	}
	data, err := os.ReadFile(filepath.Join("testdata", name, "document.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc audit.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &doc
}

func render(t testing.TB, doc *audit.Document, opt Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Markdown(&buf, doc, opt); err != nil {
		t.Fatalf("Markdown: %v", err)
	}
	return buf.String()
}

// goldenCases are the directories under testdata with a document.json and
// the expected es.md / en.md.
var goldenCases = []string{"seed", "noimpact", "broken", "source", "demo", "npm", "deploy"}

// demoDoc audits the built-in example (audit/demo) with the real engine.
func demoDoc(t testing.TB) *audit.Document {
	t.Helper()
	ctx := context.Background()
	repo, err := demo.Build(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := audit.RunRange(ctx, repo, "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestGolden protects the whole Markdown document of each case, in both
// languages, byte for byte. Run with -update to rewrite the files, then
// read them.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		for _, lang := range languages {
			t.Run(c+"/"+lang, func(t *testing.T) {
				doc := loadDoc(t, c)
				version := "0.1.0"
				if c == "demo" {
					version = "test"
				}
				got := render(t, doc, Options{Lang: lang, Now: testNow, Version: version})
				file := filepath.Join("testdata", c, lang+".md")
				if *update {
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("%s differs from the golden file; rerun with -update and read the diff", file)
				}
			})
		}
	}
}
