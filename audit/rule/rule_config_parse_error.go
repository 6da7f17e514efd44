package rule

import (
	"github.com/auditbot/auditbot/audit/scan"

	"github.com/auditbot/auditbot/audit/message"
)

// configParseError: a candidate ecosystem file that cannot be read at all
// (syntax error, too large, not UTF-8...). Its apps are not audited; the
// rest of the change is.
type configParseError struct{}

func (configParseError) Meta() Meta {
	return Meta{ID: "config-parse-error", Severity: Error, Behaviours: []string{"config-file-names"}, Docs: docsDeclaration}
}

func (r configParseError) Check(in *Input) []Finding {
	var out []Finding
	m := r.Meta()
	for _, e := range in.Broken {
		if e == nil {
			continue
		}
		line := e.Line
		if line <= 0 {
			line = 1
		}
		out = append(out, Finding{Rule: m.ID, Severity: m.Severity, Path: e.Path, Line: line,
			Args: message.Args{"path": message.CodeOf(e.Path), "error": message.TextOf(e.Msg),
				"line": message.CountOf(e.Line), "column": message.CountOf(e.Column)},
			Evidence: []scan.Evidence{configEvidence(e.Path, line, e.Msg)}})
	}
	return out
}
