package rule

import (
	"path"
	"sort"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
)

// twinConfigDrift: two ecosystem files in one directory (the seed's
// ecosystem.config.js and .cjs) configure an app with the same name with
// different options. Which one runs depends on the command: `pm2 start`
// with no argument loads only ecosystem.config.js (FACTS §4). One finding
// per file side, with the table of differences.
type twinConfigDrift struct{}

func (twinConfigDrift) Meta() Meta {
	return Meta{ID: "twin-config-drift", Severity: Warning, Facts: []string{"§4", "§11"}, Docs: docsDeclaration}
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
				diffs := optionDiff(flatOptions(a.App), flatOptions(b.App))
				if len(diffs) == 0 {
					continue
				}
				out = append(out, r.finding(a, fb, diffs, false), r.finding(b, fa, diffs, true))
			}
		}
	}
	return out
}

func (r twinConfigDrift) finding(a *App, other *ecosystem.File, diffs [][3]string, swap bool) Finding {
	rows := make([]map[string]any, len(diffs))
	for i, d := range diffs {
		this, that := d[1], d[2]
		if swap {
			this, that = that, this
		}
		rows[i] = map[string]any{"key": d[0], "this": this, "other": that}
	}
	def := ""
	thisBase, otherBase := path.Base(a.File.Path), path.Base(other.Path)
	if thisBase == pm2.DefaultConfigFile || otherBase == pm2.DefaultConfigFile {
		def = pm2.DefaultConfigFile
	}
	return newFinding(r.Meta(), a, a.App.Line, "", other.Path, map[string]any{
		"file":            thisBase,
		"other":           otherBase,
		"other_path":      other.Path,
		"diffs":           rows,
		"count":           len(rows),
		"default_file":    def,
		"this_is_default": thisBase == pm2.DefaultConfigFile,
	})
}

// flatOptions maps each option (canonical spelling; object values such as
// env flattened one level to env.KEY) to its displayed value.
func flatOptions(a *ecosystem.App) map[string]string {
	s := pm2.Default()
	out := map[string]string{}
	for _, f := range a.Fields {
		key := f.Key
		if c, ok := s.Canonical(f.Key); ok {
			key = c
		}
		if f.Value.Kind == ecosystem.KindObject {
			for _, sub := range f.Value.Fields {
				out[key+"."+sub.Key] = render(sub.Value)
			}
			continue
		}
		out[key] = render(f.Value)
	}
	return out
}

// optionDiff lists [key, value in a, value in b] for every key whose value
// differs ("" when absent), sorted by key.
func optionDiff(a, b map[string]string) [][3]string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out [][3]string
	for _, k := range sortedKeys(keys) {
		if a[k] != b[k] {
			out = append(out, [3]string{k, a[k], b[k]})
		}
	}
	return out
}
