package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
)

// Every note the engine phrases as a message has a text in every
// language's catalog, and it renders with the arguments the engine's
// constructors give it; every text of a catalog is a note the engine
// says.
func TestNoteCatalogsCoverEveryNote(t *testing.T) {
	for _, lang := range languages {
		cat, err := loadCatalog(lang)
		if err != nil {
			t.Fatal(err)
		}
		used := map[string]bool{}
		for _, m := range audit.NoteMessages() {
			used[m.ID] = true
			v, err := cat.viewNote(audit.Note{Kind: audit.NoteSkipped, Says: m})
			if err != nil {
				t.Errorf("%s: %s: %v", lang, m.ID, err)
				continue
			}
			if strings.TrimSpace(v.Text) == "" || strings.Contains(v.Text, "<no value>") {
				t.Errorf("%s: %s renders %q", lang, m.ID, v.Text)
			}
			for k, a := range m.Args {
				if a.Kind == message.Bool {
					continue // a condition phrases the text, it is not printed
				}
				if s := a.String(); !strings.Contains(v.Text, s) {
					t.Errorf("%s: %s does not say its argument %s (%q): %q", lang, m.ID, k, s, v.Text)
				}
			}
		}
		for id := range cat.notes {
			if !used[id] {
				t.Errorf("%s: notes.yaml has %s, which no note constructor says", lang, id)
			}
		}
	}
}

// A Spanish report says a note in Spanish, in Markdown and in JSON (the
// JSON keeps the note's id and arguments beside its text).
func TestSpanishReportShowsSpanishNote(t *testing.T) {
	doc := loadDoc(t, "npm")
	var md bytes.Buffer
	if err := Markdown(&md, doc, Options{Lang: "es"}); err != nil {
		t.Fatal(err)
	}
	const es = "En la app «web», el script `npm` no es un archivo del repositorio. PM2 lo busca en el PATH del servidor."
	if !strings.Contains(md.String(), es) {
		t.Errorf("Spanish Markdown report lacks the Spanish note %q", es)
	}
	if strings.Contains(md.String(), "is not a file of the repository") {
		t.Error("Spanish Markdown report says a note in English")
	}
	var js bytes.Buffer
	if err := JSON(&js, doc, Options{Lang: "es"}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Notes []struct {
			Text string `json:"text"`
			Says struct {
				ID string `json:"id"`
			} `json:"says"`
		} `json:"notes"`
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Notes) != 1 || out.Notes[0].Says.ID != audit.NoteScriptInPath || out.Notes[0].Text != es {
		t.Errorf("JSON notes = %+v, want one %s with the Spanish text", out.Notes, audit.NoteScriptInPath)
	}
}
