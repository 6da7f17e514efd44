package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/scan"
)

// esmEcosystem: an ecosystem file PM2 cannot load because it is ESM
// (docs/pm2-behaviour.md#esm-config). PM2 loads config files with require() and ignores
// `default`: `export default` yields "No script path - aborting"; a
// `.config.js` with module.exports in a "type": "module" package fails
// with "module is not defined in ES module scope" (or ERR_REQUIRE_ESM);
// module.exports in a `.config.mjs` fails the same way.
type esmEcosystem struct{}

func (esmEcosystem) Meta() Meta {
	return Meta{ID: "esm-ecosystem", Severity: Error, Behaviours: []string{"esm-config", "script-required"},
		Docs: docsDeclaration, Proof: proofDir("esm-ecosystem")}
}

func (r esmEcosystem) Check(in *Input) []Finding {
	var out []Finding
	m := r.Meta()
	for _, f := range in.Files {
		if f == nil || !f.Loadable {
			continue
		}
		key := ""
		pkgType, pkgEv := "", []scan.Evidence(nil)
		switch {
		case f.Module.ExportDefault:
			key = "export-default"
		case f.Module.ModuleExports && f.Format == ecosystem.FormatMJS:
			key = "module-exports-mjs"
		case f.Module.ModuleExports && f.Format == ecosystem.FormatJS:
			pkgType, pkgEv = configPackageType(in, f)
			if pkgType != "module" {
				continue
			}
			key = "module-exports-type-module"
		default:
			continue
		}
		out = append(out, Finding{Rule: m.ID, Severity: m.Severity, Path: f.Path, Line: fileLine(f), Key: key,
			Args: message.Args{
				"file":       message.CodeOf(path.Base(f.Path)),
				"case":       message.CodeOf(key),
				"format":     message.CodeOf(string(f.Format)),
				"apps":       message.CountOf(len(f.Apps)),
				"suggestion": message.CodeOf(loadableCJS(f.Path)),
			},
			Evidence: append([]scan.Evidence{exportEvidence(f)}, pkgEv...)})
	}
	return out
}

// configPackageType is the "type" of the package.json nearest to the
// config file, read from the revision; without a tree, the one the engine
// resolved for the file's apps. The evidence points at the package.json
// line that sets the type.
func configPackageType(in *Input, f *ecosystem.File) (string, []scan.Evidence) {
	if in.FS != nil {
		t, p, line := nearestPackageType(in.FS, path.Dir(f.Path))
		if p == "" {
			return t, nil
		}
		return t, []scan.Evidence{configEvidence(p, line, `"type": "`+t+`"`)}
	}
	for _, a := range in.Apps {
		if a.File == f && a.Service != nil && a.Service.PackageType != "" {
			return a.Service.PackageType, nil
		}
	}
	return "", nil
}

// loadableCJS is the CommonJS name that fixes an ESM config file.
func loadableCJS(p string) string {
	base := path.Base(p)
	ext := path.Ext(base)
	return base[:len(base)-len(ext)] + ".cjs"
}
