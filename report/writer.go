package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/auditbot/auditbot/audit"
)

// Writer writes an audit Document in one output format: the Markdown
// report, the terse text, the JSON document, SARIF, or the check run
// annotations. The CLI and the GitHub App pick one by name (NewWriter)
// instead of switching on formats themselves.
type Writer interface {
	// Write writes doc to w.
	Write(w io.Writer, doc *audit.Document) error
	// Ext is the file extension of the format, with its dot.
	Ext() string
}

// Formats are the names NewWriter knows, in the order help texts list
// them ("md" is also accepted for markdown).
var Formats = []string{"markdown", "json", "text", "sarif", "annotations"}

// NewWriter returns the writer of a format. rules are the rule metadata
// SARIF lists (ignored by the other formats).
func NewWriter(format string, opt Options, rules []RuleInfo) (Writer, error) {
	switch format {
	case "markdown", "md":
		return MarkdownWriter{Options: opt}, nil
	case "json":
		return JSONWriter{Options: opt}, nil
	case "text":
		return TextWriter{Options: opt}, nil
	case "sarif":
		return SARIFWriter{Options: opt, Rules: rules}, nil
	case "annotations":
		return AnnotationsWriter{Options: opt}, nil
	}
	return nil, fmt.Errorf("report: unknown format %q", format)
}

// MarkdownWriter writes the canonization document (Markdown).
type MarkdownWriter struct{ Options }

// Write implements Writer.
func (m MarkdownWriter) Write(w io.Writer, doc *audit.Document) error {
	return Markdown(w, doc, m.Options)
}

// Ext implements Writer.
func (MarkdownWriter) Ext() string { return ".md" }

// TextWriter writes one line per finding (Text).
type TextWriter struct{ Options }

// Write implements Writer.
func (t TextWriter) Write(w io.Writer, doc *audit.Document) error { return Text(w, doc, t.Options) }

// Ext implements Writer.
func (TextWriter) Ext() string { return ".txt" }

// JSONWriter writes the engine's document (JSON), its findings phrased in
// the options' language too.
type JSONWriter struct{ Options }

// Write implements Writer.
func (j JSONWriter) Write(w io.Writer, doc *audit.Document) error { return JSON(w, doc, j.Options) }

// Ext implements Writer.
func (JSONWriter) Ext() string { return ".json" }

// SARIFWriter writes SARIF 2.1.0 (SARIF).
type SARIFWriter struct {
	Options
	Rules []RuleInfo
}

// Write implements Writer.
func (s SARIFWriter) Write(w io.Writer, doc *audit.Document) error {
	return SARIF(w, doc, s.Rules, s.Options)
}

// Ext implements Writer.
func (SARIFWriter) Ext() string { return ".sarif" }

// AnnotationsWriter writes the check run annotations of a document as a
// JSON array in GitHub's annotation fields (path, start_line, end_line,
// annotation_level, title, message); the GitHub App takes them typed
// from Annotations.
type AnnotationsWriter struct {
	Options
	// MaxTitle and MaxMessage cut titles and messages (bytes, on a rune
	// boundary); 0 keeps them whole.
	MaxTitle, MaxMessage int
}

// Annotations are the document's annotations.
func (a AnnotationsWriter) Annotations(doc *audit.Document) ([]Annotation, error) {
	if doc == nil {
		return nil, fmt.Errorf("report: nil document")
	}
	return Annotations(doc, a.Options, a.MaxTitle, a.MaxMessage)
}

// Write implements Writer.
func (a AnnotationsWriter) Write(w io.Writer, doc *audit.Document) error {
	anns, err := a.Annotations(doc)
	if err != nil {
		return err
	}
	type ghAnnotation struct {
		Path    string `json:"path"`
		Start   int    `json:"start_line"`
		End     int    `json:"end_line"`
		Level   string `json:"annotation_level"`
		Title   string `json:"title,omitempty"`
		Message string `json:"message"`
	}
	out := make([]ghAnnotation, 0, len(anns))
	for _, x := range anns {
		out = append(out, ghAnnotation{Path: x.Path, Start: x.Line, End: x.Line, Level: string(x.Level), Title: x.Title, Message: x.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("report: annotations: %w", err)
	}
	return nil
}

// Ext implements Writer.
func (AnnotationsWriter) Ext() string { return ".json" }
