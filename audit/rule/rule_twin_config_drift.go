package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"path"
	"sort"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// twinConfigDrift: two ecosystem files in one directory (the seed's
// ecosystem.config.js and .cjs) configure an app with the same name with
// different options. Which one runs depends on the command: `pm2 start`
// with no argument loads only ecosystem.config.js (docs/pm2-behaviour.md#default-config-file). One finding
// per file side, with the table of differences.
type twinConfigDrift struct{}

func (twinConfigDrift) Meta() Meta {
	return Meta{ID: "twin-config-drift", Severity: Warning, Behaviours: []string{"default-config-file", "file-commands-keep-removed-keys"}, Docs: docsDeclaration,
		Proof: proofDir("twin-config-drift")}
}

func (r twinConfigDrift) Check(in *Input) []Finding {
	// apps[file][name] is the first app of that name in the file.
	apps := map[*ecosystem.File]map[string]*App{}
	var files []*ecosystem.File
	for _, a := range in.Apps {
		if a.File == nil || a.App == nil || a.App.Name == "" || a.App.Dynamic {
			continue
		}
		m, ok := apps[a.File]
		if !ok {
			m = map[string]*App{}
			apps[a.File] = m
			files = append(files, a.File)
		}
		if _, dup := m[a.App.Name]; !dup {
			m[a.App.Name] = a
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	var out []Finding
	for i, fa := range files {
		for _, fb := range files[i+1:] {
			if path.Dir(fa.Path) != path.Dir(fb.Path) {
				continue
			}
			for _, name := range sortedKeys(apps[fa]) {
				b, ok := apps[fb][name]
				if !ok {
					continue
				}
				a := apps[fa][name]
				oa, ob := flatOptions(a.App), flatOptions(b.App)
				diffs := optionDiff(oa, ob)
				if len(diffs) == 0 {
					continue
				}
				fa1, fb1 := r.finding(a, fb, diffs, false), r.finding(b, fa, diffs, true)
				for _, d := range diffs {
					ea, eb := diffEvidence(a.File.Path, d[0], oa), diffEvidence(b.File.Path, d[0], ob)
					fa1.Evidence = append(fa1.Evidence, append(ea, eb...)...)
					fb1.Evidence = append(fb1.Evidence, append(eb, ea...)...)
				}
				out = append(out, fa1, fb1)
			}
		}
	}
	return out
}

func (r twinConfigDrift) finding(a *App, other *ecosystem.File, diffs [][3]string, swap bool) Finding {
	rows := make([]message.Value, len(diffs))
	for i, d := range diffs {
		this, that := d[1], d[2]
		if swap {
			this, that = that, this
		}
		rows[i] = message.RecordOf(message.Args{"key": message.OptionOf(d[0]), "this": message.CodeOf(this), "other": message.CodeOf(that)})
	}
	def := ""
	thisBase, otherBase := path.Base(a.File.Path), path.Base(other.Path)
	if thisBase == pm2.DefaultConfigFile || otherBase == pm2.DefaultConfigFile {
		def = pm2.DefaultConfigFile
	}
	fd := newFinding(r.Meta(), a, a.App.Line, "", other.Path, message.Args{
		"file":            message.CodeOf(thisBase),
		"other":           message.CodeOf(otherBase),
		"other_path":      message.CodeOf(other.Path),
		"diffs":           message.ListOf(rows...),
		"count":           message.CountOf(len(rows)),
		"default_file":    message.CodeOf(def),
		"this_is_default": message.BoolOf(thisBase == pm2.DefaultConfigFile),
	})
	fd.About.Subject = TwinDrift
	return fd
}

// flatOption is one option of an app, rendered, with where it is written.
type flatOption struct {
	value string
	line  int
	text  string
}

// flatOptions maps each option (canonical spelling; object values such as
// env flattened one level to env.KEY) to its rendered value.
func flatOptions(a *ecosystem.App) map[string]flatOption {
	s := pm2.Default()
	out := map[string]flatOption{}
	for _, f := range a.Fields {
		key := f.Key
		if c, ok := s.Canonical(f.Key); ok {
			key = c
		}
		if f.Value.Kind == ecosystem.KindObject {
			for _, sub := range f.Value.Fields {
				out[key+"."+sub.Key] = flatOption{render(sub.Value), sub.Line, f.Key + "." + sub.Key + ": " + display(sub.Value)}
			}
			continue
		}
		out[key] = flatOption{render(f.Value), f.Line, f.Key + ": " + display(f.Value)}
	}
	return out
}

// diffEvidence cites where a differing key is written in one file.
func diffEvidence(p, key string, opts map[string]flatOption) []scan.Evidence {
	o, ok := opts[key]
	if !ok || o.line <= 0 {
		return nil
	}
	return []scan.Evidence{configEvidence(p, o.line, o.text)}
}

// optionDiff lists [key, value in a, value in b] for every key whose value
// differs ("" when absent), sorted by key.
func optionDiff(a, b map[string]flatOption) [][3]string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out [][3]string
	for _, k := range sortedKeys(keys) {
		if a[k].value != b[k].value {
			out = append(out, [3]string{k, a[k].value, b[k].value})
		}
	}
	return out
}
