package ecosystem

import (
	"context"
	"strings"
	"testing"
)

// TestShapes checks how the exported value becomes the apps list (docs/pm2-behaviour.md#config-file-names)
// for every export form, and which module flags are set.
func TestShapes(t *testing.T) {
	tests := []struct {
		name, path, src string
		wantApps        string // names joined by ","; "?" for a dynamic entry
		wantKey         string
		wantDynamic     bool
		wantModule      Module
	}{
		{"module.exports.apps", "ecosystem.config.js", "module.exports.apps = [{name: 'a', script: 'a.js'}];", "a", "apps", false, Module{ModuleExports: true, ExportLine: 1}},
		{"exports.apps", "ecosystem.config.js", "\nexports.apps = [{name: 'a'}, {name: 'b'}];", "a,b", "apps", false, Module{ModuleExports: true, ExportLine: 2}},
		{"pm2 key", "ecosystem.config.js", "module.exports = {pm2: [{name: 'p'}]};", "p", "pm2", false, Module{ModuleExports: true, ExportLine: 1}},
		{"apps falsy falls back to the object", "ecosystem.json", "{apps: null, name: 'self', script: 'x.js'}", "self", "", false, Module{}},
		{"object wrapped", "ecosystem.json", "{name: 'one', script: 'x.js'}", "one", "", false, Module{}},
		{"apps object wrapped", "ecosystem.config.js", "module.exports = {apps: {name: 'w'}};", "w", "apps", false, Module{ModuleExports: true, ExportLine: 1}},
		{"top-level array", "ecosystem.json", "[{name: 'x'}, {name: 'y'}]", "x,y", "", false, Module{}},
		{"export const apps in .js", "ecosystem.config.js", "export const apps = [{name: 'n'}];\n", "n", "apps", false, Module{ExportNamedApps: true, ExportLine: 1}},
		{"export default and apps", "ecosystem.config.mjs", "export const apps = [{name: 'n'}];\nexport default { apps };\n", "n", "apps", false, Module{ExportNamedApps: true, ExportDefault: true, ExportLine: 2}},
		{"export default identifier", "ecosystem.config.mjs", "const config = { apps: [{ name: 'd' }] };\n\nexport default config;\n", "d", "apps", false, Module{ExportDefault: true, ExportLine: 3}},
		{"dynamic app entry", "ecosystem.config.js", "module.exports = {apps: [make('x'), {name: 'y'}]};", "?,y", "apps", false, Module{ModuleExports: true, ExportLine: 1}},
		{"dynamic spread in apps", "ecosystem.config.js", "module.exports = {apps: [...load(), {name: 'y'}]};", "?,y", "apps", false, Module{ModuleExports: true, ExportLine: 1}},
		{"wrapper call is dynamic", "ecosystem.config.js", "module.exports = defineConfig({apps: [{name: 'z'}]});", "", "", true, Module{ModuleExports: true, ExportLine: 1}},
		{"no export", "ecosystem.js", "console.log('hi')", "", "", false, Module{}},
		{"commented export ignored", "ecosystem.config.js", "// export default {}\nmodule.exports = {apps: []};", "", "apps", false, Module{ModuleExports: true, ExportLine: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(context.Background(), tc.path, []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, a := range f.Apps {
				if a.Dynamic {
					names = append(names, "?")
				} else {
					names = append(names, a.Name)
				}
			}
			if got := strings.Join(names, ","); got != tc.wantApps {
				t.Errorf("apps = %q, want %q", got, tc.wantApps)
			}
			if f.AppsKey != tc.wantKey || f.AppsDynamic != tc.wantDynamic {
				t.Errorf("AppsKey, AppsDynamic = %q, %v; want %q, %v", f.AppsKey, f.AppsDynamic, tc.wantKey, tc.wantDynamic)
			}
			if f.Module != tc.wantModule {
				t.Errorf("Module = %+v, want %+v", f.Module, tc.wantModule)
			}
		})
	}
}

// TestResolution checks single resolution rules on the value of `v`.
func TestResolution(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            string // render() of the field
	}{
		{"env or default", "ecosystem.config.js", "module.exports = {v: process.env.PORT || 3001}", "3001 env=PORT"},
		{"env coalesce", "ecosystem.config.js", "module.exports = {v: process.env['PORT'] ?? '80'}", `"80" env=PORT`},
		{"env alone", "ecosystem.config.js", "module.exports = {v: process.env.PORT}", "dynamic(process.env.PORT) env=PORT"},
		{"env chain", "ecosystem.config.js", "module.exports = {v: process.env.A || process.env.B || 'd'}", `"d" env=A`},
		{"parseInt is a call", "ecosystem.config.js", "module.exports = {v: parseInt(process.env.P, 10) || 3}", "dynamic(parseInt(process.env.P, 10) || 3)"},
		{"literal or", "ecosystem.config.js", "module.exports = {v: 0 || 'x'}", `"x"`},
		{"const chain", "ecosystem.config.js", "const a = 'x'; const b = a; const c = `${b}-y`;\nmodule.exports = {v: c}", `"x-y"`},
		{"self reference", "ecosystem.config.js", "var a = a;\nmodule.exports = {v: a}", "dynamic(a)"},
		{"unknown identifier", "ecosystem.config.js", "module.exports = {v: nope}", "dynamic(nope)"},
		{"require other", "ecosystem.config.js", "module.exports = {v: require('./other')}", "dynamic(require('./other'))"},
		{"dirname", "a/b/ecosystem.config.js", "module.exports = {v: __dirname}", `"a/b" repo`},
		{"dirname template", "a/b/ecosystem.config.js", "module.exports = {v: `${__dirname}/x/../y`}", `"a/b/y" repo`},
		{"dirname plus", "a/ecosystem.config.js", "module.exports = {v: __dirname + '/dist'}", `"a/dist" repo`},
		{"join escaping the repo", "a/ecosystem.config.js", "const path = require('path');\nmodule.exports = {v: path.join(__dirname, '../..')}", "dynamic(path.join(__dirname, '../..'))"},
		{"resolve absolute", "a/ecosystem.config.js", "const path = require('node:path');\nmodule.exports = {v: path.resolve(__dirname, '/srv/app')}", `"/srv/app"`},
		{"resolve relative to cwd", "a/ecosystem.config.js", "const path = require('path');\nmodule.exports = {v: path.resolve('dist')}", "dynamic(path.resolve('dist'))"},
		{"destructured join", "a/ecosystem.config.js", "const { join } = require('path');\nmodule.exports = {v: join(__dirname, 'x')}", `"a/x" repo`},
		{"unknown module join", "a/ecosystem.config.js", "const path = require('upath');\nmodule.exports = {v: path.join(__dirname, 'x')}", "dynamic(path.join(__dirname, 'x'))"},
		{"spread override order", "ecosystem.config.js", "const b = {x: 1, y: 2};\nmodule.exports = {v: {x: 0, ...b, y: 3}}", "{x@2=0@2, ...x@1=1@1, ...y@1=2@1, y@2=3@2}"},
		{"array spread", "ecosystem.config.js", "const a = [1, 2];\nmodule.exports = {v: [0, ...a, 3]}", "[0, 1, 2, 3]"},
		{"dynamic object spread", "ecosystem.config.js", "module.exports = {v: {...load(), y: 3}}", "{......@1=dynamic(load())@1, y@1=3@1}"},
		{"member of a const", "ecosystem.config.js", "const c = {p: {q: 'r'}};\nmodule.exports = {v: c.p.q}", `"r"`},
		{"os cpus", "ecosystem.config.js", "const os = require('os');\nmodule.exports = {v: os.cpus().length}", "dynamic(os.cpus().length)"},
		{"negative number", "ecosystem.config.js", "module.exports = {v: -1}", "-1"},
		{"ts as const", "ecosystem.config.ts", "const m = 'cluster' as const;\nmodule.exports = {v: m satisfies string}", `"cluster"`},
		{"yaml number and bool", "ecosystem.yml", "v: [1, true, null, '2', x]", `[1, true, null, "2", "x"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(context.Background(), tc.path, []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Apps) != 1 {
				t.Fatalf("want the object itself as one app, got %d apps", len(f.Apps))
			}
			v, ok := f.Apps[0].Get("v")
			if !ok {
				t.Fatal("no field v")
			}
			if got := render(v.Value); got != tc.want {
				t.Errorf("v = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestMutationNoted checks that a top-level modification of the exported
// binding is reported instead of silently ignored.
func TestMutationNoted(t *testing.T) {
	src := "const config = {apps: [{name: 'a'}]};\nconfig.apps.push({name: 'b'});\nmodule.exports = config;\n"
	f, err := Parse(context.Background(), "ecosystem.config.js", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range f.Unresolved {
		if u.Line == 2 && strings.Contains(u.Reason, "modified") {
			found = true
		}
	}
	if !found {
		t.Errorf("no Unresolved note for the push at line 2: %+v", f.Unresolved)
	}
}
