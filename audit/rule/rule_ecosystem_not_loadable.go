package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"
	"strings"

	"github.com/auditbot/auditbot/audit/scan"
)

// ecosystemNotLoadable: a file that looks like an ecosystem file but whose
// name PM2 does not read as configuration (ecosystem.js, pm2.cjs,
// ecosystem.config.ts): `pm2 start <file>` launches it as an application
// instead of reading its apps (docs/pm2-behaviour.md#config-file-names).
type ecosystemNotLoadable struct{}

func (ecosystemNotLoadable) Meta() Meta {
	return Meta{ID: "ecosystem-not-loadable", Severity: Error, Behaviours: []string{"config-file-names"},
		Docs: docsDeclaration, Proof: proofDir("ecosystem-not-loadable")}
}

func (r ecosystemNotLoadable) Check(in *Input) []Finding {
	var out []Finding
	m := r.Meta()
	for _, f := range in.Files {
		if f == nil || f.Loadable {
			continue
		}
		out = append(out, Finding{Rule: m.ID, Severity: m.Severity, Path: f.Path, Line: fileLine(f),
			Args: message.Args{
				"file":       message.CodeOf(path.Base(f.Path)),
				"suggestion": message.CodeOf(loadableName(f.Path)),
				"apps":       message.CountOf(len(f.Apps)),
				"typescript": message.BoolOf(string(f.Format) == "ts"),
			},
			Evidence: []scan.Evidence{exportEvidence(f)}})
	}
	return out
}

// loadableName suggests the name PM2 would read as a config file.
func loadableName(p string) string {
	base := path.Base(p)
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	stem = strings.TrimSuffix(stem, ".config")
	switch ext {
	case ".cjs":
		return stem + ".config.cjs"
	case ".mjs", ".ts", ".mts", ".cts":
		return stem + ".config.cjs"
	}
	return stem + ".config.js"
}
