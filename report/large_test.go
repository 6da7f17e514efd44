package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
)

// largeDoc builds a change of files*appsPer apps, each losing wait_ready,
// with one fixed and one unchanged finding per app.
func largeDoc(files, appsPer int) *audit.Document {
	doc := &audit.Document{
		Schema: audit.SchemaVersion, Tool: audit.Tool{Name: "auditbot", Version: "0.1.0"},
		Base:   audit.Commit{SHA: strings.Repeat("a", 40), Short: "aaaaaaa"},
		Head:   audit.Commit{SHA: strings.Repeat("b", 40), Short: "bbbbbbb", Subject: "drop wait_ready everywhere"},
		Impact: true,
	}
	for f := 0; f < files; f++ {
		p := fmt.Sprintf("services/svc%02d/ecosystem.config.js", f)
		e := audit.Ecosystem{Path: p, Format: "js", Loadable: true, Status: "modified", Base: &audit.EcoRev{}, Head: &audit.EcoRev{}}
		cf := audit.ChangedFile{Path: p, Status: "modified", Kind: audit.KindEcosystem}
		for a := 0; a < appsPer; a++ {
			name := fmt.Sprintf("app-%02d-%02d", f, a)
			line := 3 + a*10
			common := []audit.Option{
				{Key: "name", Value: name, Line: line + 1}, {Key: "script", Value: "index.js", Line: line + 2},
				{Key: "exec_mode", Value: "fork", Line: line + 3}, {Key: "kill_timeout", Value: 5000.0, Line: line + 4},
			}
			wr := audit.Option{Key: "wait_ready", Value: true, Line: line + 5}
			e.Base.Apps = append(e.Base.Apps, audit.App{Name: name, Line: line, Options: append(append([]audit.Option(nil), common...), wr)})
			e.Head.Apps = append(e.Head.Apps, audit.App{Name: name, Line: line, Options: common})
			for i := range common {
				o := common[i]
				e.Changes = append(e.Changes, audit.OptionChange{App: name, Key: o.Key, Change: audit.Unchanged, Before: &o, After: &o})
			}
			e.Changes = append(e.Changes, audit.OptionChange{App: name, Key: "wait_ready", Change: audit.Removed, Before: &wr})
			cf.Hunks = append(cf.Hunks, audit.Hunk{OldStart: line + 4, OldLines: 3, NewStart: line + 4, NewLines: 2, Lines: []audit.DiffLine{
				{Op: " ", Text: "    kill_timeout: 5000,", Old: line + 4, New: line + 4},
				{Op: "-", Text: "    wait_ready: true,", Old: line + 5},
				{Op: " ", Text: "  },", Old: line + 6, New: line + 5}}})
			doc.Services = append(doc.Services, audit.Service{App: name, Ecosystem: p, Dir: fmt.Sprintf("services/svc%02d", f), Script: "index.js",
				ScriptPath: fmt.Sprintf("services/svc%02d/index.js", f), ScriptExists: true, Interpreter: "node", Mode: "fork", Instances: 1, Scanned: 12,
				Evidence: []audit.Evidence{{Kind: "route", Context: "code", Path: fmt.Sprintf("services/svc%02d/index.js", f), Line: 9, Detail: "GET /health"},
					{Kind: "port-default", Context: "code", Path: fmt.Sprintf("services/svc%02d/index.js", f), Line: 2, Detail: fmt.Sprint(3000 + f)}}})
			doc.Findings = append(doc.Findings,
				audit.Finding{Rule: "wait-ready-without-handshake", Severity: "error", State: audit.Fixed, Path: p, Line: line + 5, App: name, Option: "wait_ready",
					Docs: "https://pm2.keymetrics.io/docs/usage/signals-clean-restart/", About: testAbout("wait-ready-without-handshake"), Message: testMessage("wait-ready-without-handshake", name, nil)},
				audit.Finding{Rule: "kill-signal-not-handled", Severity: "warning", State: audit.Persisting, Path: p, Line: line + 4, App: name, Option: "kill_timeout",
					About: testAbout("kill-signal-not-handled"), Message: testMessage("kill-signal-not-handled", name, message.Args{"kill_timeout_set": message.BoolOf(true), "kill_timeout": message.MillisOf(5000)})})
		}
		doc.Ecosystems = append(doc.Ecosystems, e)
		doc.Changed = append(doc.Changed, cf)
	}
	doc.Summary = audit.Summary{Warnings: files * appsPer, Fixed: files * appsPer, Unchanged: files * appsPer, Verdict: "warn"}
	return doc
}

// TestLargeDocument protects the readability of a change of 300 apps: the
// findings summary by rule comes first, details are folded in <details>,
// and the document still parses cleanly.
func TestLargeDocument(t *testing.T) {
	for _, lang := range languages {
		doc := largeDoc(30, 10)
		if lang != "es" {
			doc = largeDoc(6, 10) // still large (60 apps), cheaper under -race
		}
		md := render(t, doc, Options{Lang: lang, Now: testNow})
		st := checkMarkdown(t, "large/"+lang, md)
		if st.details < 4 {
			t.Errorf("%s: %d <details> blocks, want the findings, option changes, hunks and configurations folded", lang, st.details)
		}
		byRule := strings.Index(md, "| `kill-signal-not-handled` | ⚠️")
		list := strings.Index(md, "· `kill-signal-not-handled`")
		if byRule < 0 || list < 0 || byRule > list {
			t.Errorf("%s: the per-rule summary does not come before the list of findings", lang)
		}
		if fs := firstScreen(md); len(fs) > 4500 { // 10 rows of real rule titles
			t.Errorf("%s: the first screen of a 300-app change is %d bytes; it lists at most 10 rows per state", lang, len(fs))
		}
		if !strings.Contains(md, "app-29-09") && lang == "es" {
			t.Errorf("%s: without a size limit the last app is missing", lang)
		}
	}
}

// TestMaxBytes protects the GitHub comment limit: with MaxBytes the output
// never exceeds it, stays valid Markdown and UTF-8, and says exactly what
// was left out.
func TestMaxBytes(t *testing.T) {
	tests := []struct {
		name   string
		doc    *audit.Document
		max    int
		lang   string
		inNote []string
	}{
		{"large es 64KiB", largeDoc(30, 10), 65536, "es", []string{"65536 bytes", "se limitaron a 10 elementos"}},
		{"large en 32KiB", largeDoc(12, 10), 32768, "en", []string{"To stay within 32768 bytes, lists and tables were limited to"}},
		{"large es 16KiB cuts lists", largeDoc(12, 10), 16384, "es", []string{"16384 bytes", "se limitaron a"}},
		{"seed es 6000", loadDoc(t, "seed"), 6000, "es", []string{"6000 bytes"}},
		{"tiny limit keeps the note", largeDoc(6, 10), 900, "es", []string{"900 bytes"}},
		{"limit below the note", largeDoc(6, 10), 120, "es", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Markdown(&buf, tt.doc, Options{Lang: tt.lang, Now: testNow, MaxBytes: tt.max}); err != nil {
				t.Fatal(err)
			}
			md := buf.String()
			if len(md) > tt.max {
				t.Fatalf("%d bytes, limit %d", len(md), tt.max)
			}
			if !utf8.ValidString(md) {
				t.Fatal("cut inside a UTF-8 sequence")
			}
			if tt.max >= 6000 {
				checkMarkdown(t, tt.name, md)
				if len(md) < tt.max/4 {
					t.Errorf("only %d of %d bytes used: too much left out", len(md), tt.max)
				}
			}
			for _, w := range tt.inNote {
				if !strings.Contains(md, w) {
					t.Errorf("the truncation note does not say %q", w)
				}
			}
		})
	}
	// Without a limit nothing is dropped and there is no note.
	md := render(t, loadDoc(t, "seed"), Options{Now: testNow})
	if strings.Contains(md, "**Nota:**") {
		t.Error("a truncation note without a limit")
	}
}

// TestDeterministic protects byte-identical output for the same input
// (map iteration, sorting).
func TestDeterministic(t *testing.T) {
	docs := map[string]*audit.Document{"seed": loadDoc(t, "seed"), "large": largeDoc(4, 6), "hostile": hostileDoc(t)}
	for name, doc := range docs {
		for _, opt := range []Options{{Now: testNow}, {Lang: "en", Now: testNow}, {Now: testNow, MaxBytes: 9000}} {
			first := render(t, doc, opt)
			for i := 0; i < 2; i++ {
				if render(t, doc, opt) != first {
					t.Fatalf("%s %+v: output differs between runs", name, opt)
				}
			}
		}
	}
}
