package rule

import (
	"strings"
	"testing/fstest"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/launcher"
)

func casesConfigParseError() []ruleCase {
	const id = "config-parse-error"
	return []ruleCase{
		{"syntax error", &Input{Broken: []*ecosystem.ParseError{{Path: "a/ecosystem.config.js", Line: 12, Column: 4, Msg: "Unexpected token }"}}},
			[]string{w(id, "a/ecosystem.config.js", 12, "", "")}},
		{"unknown line points at line 1", &Input{Broken: []*ecosystem.ParseError{{Path: "big.config.js", Msg: "file too large"}}},
			[]string{w(id, "big.config.js", 1, "", "")}},
		{"nothing broken", input(nil, files(file(cfg, app("api", 3))), nil), nil},
	}
}

func casesEcosystemNotLoadable() []ruleCase {
	const id = "ecosystem-not-loadable"
	return []ruleCase{
		{"ecosystem.js", input(nil, files(file("svc/ecosystem.js", app("api", 3))), nil), []string{w(id, "svc/ecosystem.js", 1, "", "")}},
		{"ecosystem.config.ts", input(nil, files(file("ecosystem.config.ts", app("api", 3))), nil), []string{w(id, "ecosystem.config.ts", 1, "", "")}},
		{"ecosystem.config.js", input(nil, files(file(cfg, app("api", 3))), nil), nil},
		{"ecosystem.json5", input(nil, files(file("ecosystem.json5", app("api", 3))), nil), nil},
	}
}

func esmFile(p string, m ecosystem.Module) *ecosystem.File {
	f := file(p, app("api", 3))
	f.Module = m
	return f
}

func casesEsmEcosystem() []ruleCase {
	const id = "esm-ecosystem"
	typeModule := mapFS(map[string]string{"package.json": `{"type": "module"}`, "svc/index.js": ""})
	commonjs := mapFS(map[string]string{"package.json": `{"name": "x"}`, "svc/package.json": `{"type": "commonjs"}`})
	oversized := mapFS(map[string]string{"package.json": `{"type": "module", "description": "` + strings.Repeat("x", launcher.MaxSize) + `"}`})
	exportDefault := ecosystem.Module{ExportDefault: true, ExportLine: 9}
	cjs := ecosystem.Module{ModuleExports: true, ExportLine: 1}
	return []ruleCase{
		{"export default in .config.mjs", input(nil, files(esmFile("svc/ecosystem.config.mjs", exportDefault)), nil),
			[]string{w(id, "svc/ecosystem.config.mjs", 9, "", "export-default")}},
		{"export default in .config.js", input(nil, files(esmFile(cfg, exportDefault)), nil),
			[]string{w(id, cfg, 9, "", "export-default")}},
		{"module.exports in type module package (root package.json)", input(typeModule, files(esmFile(cfg, cjs)), nil),
			[]string{w(id, cfg, 1, "", "module-exports-type-module")}},
		{"module.exports in type module, engine's package type", input(nil, files(esmFile(cfg, cjs)),
			svcs{"api": with(svc("svc", "index.js"), func(s *Service) { s.PackageType = "module" })}),
			[]string{w(id, cfg, 1, "", "module-exports-type-module")}},
		{"module.exports in .mjs", input(nil, files(esmFile("ecosystem.config.mjs", cjs)), nil),
			[]string{w(id, "ecosystem.config.mjs", 1, "", "module-exports-mjs")}},
		{"nearest package.json wins", input(commonjs, files(esmFile(cfg, cjs)), nil), nil},
		{"module.exports in .cjs with type module", input(typeModule, files(esmFile("svc/ecosystem.config.cjs", cjs)), nil), nil},
		{"module.exports, no package.json", input(fstest.MapFS{}, files(esmFile(cfg, cjs)), nil), nil},
		{"package.json over launcher.MaxSize is not read", input(oversized, files(esmFile(cfg, cjs)), nil), nil},
		{"named apps in .mjs is not an error", input(nil, files(esmFile("e.config.mjs", ecosystem.Module{ExportNamedApps: true, ExportLine: 2})), nil), nil},
	}
}

func casesEsmNamedApps() []ruleCase {
	const id = "esm-named-apps"
	named := ecosystem.Module{ExportNamedApps: true, ExportLine: 2}
	return []ruleCase{
		{"export const apps in .mjs", input(nil, files(esmFile("e.config.mjs", named)), nil), []string{w(id, "e.config.mjs", 2, "", "")}},
		{"export const apps in .js of a module package", input(mapFS(map[string]string{"package.json": `{"type":"module"}`}),
			files(esmFile("e.config.js", named)), nil), []string{w(id, "e.config.js", 2, "", "")}},
		{"commonjs", input(nil, files(file(cfg, app("api", 3))), nil), nil},
	}
}

func casesHelperScriptUnreferenced() []ruleCase {
	const id = "helper-script-unreferenced"
	tree := mapFS(map[string]string{
		"svc/ecosystem.config.js":  "module.exports = {}",
		"svc/ecosystem.config.cjs": "module.exports = {}",
		"svc/start-with-xvfb.sh":   "chmod +x start-with-xvfb.sh\n",
		"svc/deploy.sh":            "#!/bin/bash\nset -e\ngit pull\nnpm ci\npm2 reload ecosystem.config.js\n",
		"svc/run.sh":               "#!/bin/bash\nexec node index.js\n",
		"svc/notes.txt":            "x",
	})
	tree["svc/link.sh"] = &fstest.MapFile{Data: []byte("svc/run.sh"), Mode: 0o777 | 1<<27} // fs.ModeSymlink
	tree["svc/huge.sh"] = &fstest.MapFile{Data: make([]byte, maxHelperScript+1), Mode: 0o644}
	twin := files(file("svc/ecosystem.config.cjs", app("api", 3, kv("script", 4, str("run.sh")))),
		file(cfg, app("api", 3, kv("script", 4, str("index.js")), kv("args", 5, arr(str("--x"))))))
	return []ruleCase{
		{"placeholder and unreferenced script, owned by ecosystem.config.js", input(tree, twin, nil),
			[]string{w(id, cfg, 1, "", "svc/deploy.sh"), w(id, cfg, 1, "", "svc/start-with-xvfb.sh")}},
		{"referenced via args", input(tree, files(file(cfg, app("api", 3, kv("script", 4, str("run.sh")),
			kv("args", 5, arr(str("./deploy.sh"), str("start-with-xvfb.sh")))))), nil), nil},
		{"no tree", input(nil, twin, nil), nil},
		{"run by package.json", input(mapFS(map[string]string{"svc/x.sh": "#!/bin/sh\nchmod +x y\n",
			"svc/package.json": `{"scripts": {"start": "./x.sh"}}`}), files(file(cfg, app("api", 3))), nil), nil},
	}
}
