package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/scan"
)

// esmNamedApps: `export const apps = [...]` in an ESM config file. PM2
// require()s the file and reads the namespace's `apps`, which works only
// when the Node running the pm2 CLI can require() ES modules (unflagged
// in Node 20.19 / 22.12; it failed with ERR_REQUIRE_ESM on 20.18)
// (docs/pm2-behaviour.md#esm-config). It is a portability note, not an error, so it is its own info rule
// rather than a variant of esm-ecosystem.
type esmNamedApps struct{}

func (esmNamedApps) Meta() Meta {
	return Meta{ID: "esm-named-apps", Severity: Info, Behaviours: []string{"esm-config"},
		Docs: docsDeclaration, Proof: proofDir("esm-named-apps")}
}

func (r esmNamedApps) Check(in *Input) []Finding {
	var out []Finding
	m := r.Meta()
	for _, f := range in.Files {
		if f == nil || !f.Loadable || !f.Module.ExportNamedApps || f.Module.ExportDefault {
			continue
		}
		if f.Format != ecosystem.FormatMJS && !(f.Format == ecosystem.FormatJS && packageTypeOf(in, f) == "module") {
			continue
		}
		out = append(out, Finding{Rule: m.ID, Severity: m.Severity, Path: f.Path, Line: fileLine(f),
			Args:     message.Args{"file": message.CodeOf(path.Base(f.Path)), "suggestion": message.CodeOf(loadableCJS(f.Path))},
			Evidence: []scan.Evidence{exportEvidence(f)}})
	}
	return out
}

func packageTypeOf(in *Input, f *ecosystem.File) string {
	t, _ := configPackageType(in, f)
	return t
}
