package report

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit"
)

// The words of the engine's notes: templates/<lang>/notes.yaml has, per
// note message id (audit/notes.go), a Go text/template filled from the
// note's typed arguments, printed as a finding's are (templateData).
// Notes of an app's resolution also carry "app" and, about the base
// revision, "base": texts read them with index, which a note without them
// leaves empty; any other missing argument is an error.

// loadNotes reads and parses templates/<lang>/notes.yaml.
func loadNotes(lang string) (map[string]*template.Template, error) {
	name := "templates/" + lang + "/notes.yaml"
	data, err := templateFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("report: no note texts for language %q: %w", lang, err)
	}
	var texts map[string]string
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&texts); err != nil {
		return nil, fmt.Errorf("report: %s: %w", name, err)
	}
	out := make(map[string]*template.Template, len(texts))
	for id, src := range texts {
		t, err := template.New(lang + "/" + id).Funcs(ruleFuncs).Option("missingkey=error").Parse(strings.TrimSpace(src))
		if err != nil {
			return nil, fmt.Errorf("report: %s: note %s: %w", name, id, err)
		}
		out[id] = t
	}
	return out, nil
}

// noteView is a note phrased in the report's language: Text is plain
// text with `code` spans marked by backticks, as a finding's message.
type noteView struct {
	audit.Note
	Text string
}

// viewNote phrases a note: from its message when it has one, its English
// text otherwise (a note not yet in the catalogs).
func (c *catalog) viewNote(n audit.Note) (noteView, error) {
	if n.Says == nil {
		return noteView{Note: n, Text: n.Msg}, nil
	}
	t, ok := c.notes[n.Says.ID]
	if !ok {
		return noteView{}, fmt.Errorf("report: no texts for note %q", n.Says.ID)
	}
	s, err := execute(t, templateData(n.Says.Args))
	if err != nil {
		return noteView{}, fmt.Errorf("report: note %s: %w", n.Says.ID, err)
	}
	return noteView{Note: n, Text: s}, nil
}

func (c *catalog) viewNotes(ns []audit.Note) ([]noteView, error) {
	out := make([]noteView, 0, len(ns))
	for _, n := range ns {
		v, err := c.viewNote(n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// NoteText phrases a note's message in lang ("es", the default when
// empty, or "en").
func NoteText(n audit.Note, lang string) (string, error) {
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		return "", err
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return "", err
	}
	v, err := cat.viewNote(n)
	return v.Text, err
}
