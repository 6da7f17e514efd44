package scan

import (
	"context"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestModuleLoads(t *testing.T) {
	src := `const a = require('./a');
import b from "./b.js";
import { c, d as e } from '../c';
import * as ns from './ns';
import './side-effect';
export { x } from './x';
export * from './star';
export * as all from './all';
import type { T } from './types';
export type { U } from './utypes';
const later = await import('./later.mjs');
const route = require('./routes/' + name);
const job = import(` + "`./jobs/${job}.js`" + `);
const any = require(name);
const pkg = require('express');
const r = require.resolve('./not-loaded');
// require('./in-comment')
const s = "require('./in-string')";
obj.require('./member');
`
	_, loads := Module("f.ts", []byte(src))
	var got []string
	for _, l := range loads {
		s := l.Spec
		if l.Computed {
			s = "computed:" + s
		}
		got = append(got, s)
	}
	want := []string{"./a", "./b.js", "../c", "./ns", "./side-effect", "./x", "./star", "./all",
		"./later.mjs", "computed:./routes/", "computed:./jobs/", "computed:", "express"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loads\n got %q\nwant %q", got, want)
	}
	if loads[0].Line != 1 || loads[8].Line != 11 {
		t.Errorf("lines: %+v", loads)
	}
}

func TestModuleGraph(t *testing.T) {
	fsys := fstest.MapFS{
		"apps/api/server.js":            file("const r = require('./routes');\nconst u = require('../../lib/util');\nprocess.send('ready');\n"),
		"apps/api/routes/index.js":      file("require('./health.js'); require('../server');\n"), // a cycle
		"apps/api/routes/health.js":     file("app.get('/health', h);\n"),
		"apps/api/unused.js":            file("process.on('SIGTERM', f);\n"),
		"apps/worker/server.js":         file("process.on('SIGINT', f);\n"),
		"lib/util/package.json":         file(`{"main": "main.js"}`),
		"lib/util/main.js":              file("require('./data.json'); require('./ts-src.js');\n"),
		"lib/util/data.json":            file("{}"),
		"lib/util/ts-src.ts":            file("server.listen(3100);\n"),
		"bin/www":                       file("#!/usr/bin/env node\nrequire('../apps/worker/server');\n"),
		"esm/main.mjs":                  file("import './jobs/a.mjs';\nconst m = await import(`./plugins/${p}.mjs`);\n"),
		"esm/jobs/a.mjs":                file(""),
		"esm/plugins/one.mjs":           file("process.on('SIGINT', f);\n"),
		"esm/plugins/two.mjs":           file(""),
		"esm/plugins/node_modules/x.js": file("process.send('ready');\n"),
		"dyn/main.js":                   file("require(process.env.MOD);\nrequire('./missing');\nrequire('../../outside');\n"),
		"alias/package.json":            file(`{"name": "alias", "dependencies": {"express": "^4"}, "devDependencies": {"@types/node": "*"}}`),
		"alias/main.js":                 file("require('express'); require('fs/promises'); require('node:http'); require('@types/node');\nrequire('alias/x');\n"),
		"alias/ts.ts":                   file("import { db } from '@/lib/db';\nimport cfg from '#config';\n"),
		"link/main.js":                  file("require('./linked');\nrequire('./via/x');\n"),
		"link/linked.js":                &fstest.MapFile{Data: []byte("../apps/worker/server.js"), Mode: fs.ModeSymlink},
		"link/via":                      &fstest.MapFile{Data: []byte("../apps"), Mode: fs.ModeSymlink},
	}
	for _, c := range []struct {
		entry    string
		files    []string
		complete bool
		missing  int
	}{
		{"apps/api/server.js", []string{"apps/api/routes/health.js", "apps/api/routes/index.js", "apps/api/server.js", "lib/util/main.js", "lib/util/ts-src.ts"}, true, 0},
		{"bin/www", []string{"apps/worker/server.js", "bin/www"}, true, 0},
		{"esm/main.mjs", []string{"esm/jobs/a.mjs", "esm/main.mjs", "esm/plugins/one.mjs", "esm/plugins/two.mjs"}, true, 0},
		{"dyn/main.js", []string{"dyn/main.js"}, false, 2},
		{"link/main.js", []string{"link/main.js"}, true, 2},
		{"alias/main.js", []string{"alias/main.js"}, true, 0},
		{"alias/ts.ts", []string{"alias/ts.ts"}, false, 0},
	} {
		g, err := ModuleGraph(context.Background(), fsys, c.entry, GraphOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.entry, err)
		}
		if !reflect.DeepEqual(g.Files, c.files) {
			t.Errorf("%s: files\n got %q\nwant %q", c.entry, g.Files, c.files)
		}
		if g.Complete() != c.complete || len(g.Missing) != c.missing {
			t.Errorf("%s: complete %v (computed %+v), missing %+v; want %v, %d", c.entry, g.Complete(), g.Computed, g.Missing, c.complete, c.missing)
		}
		for _, e := range g.Evidence {
			if !g.Has(e.Path) {
				t.Errorf("%s: evidence from a file outside the graph: %+v", c.entry, e)
			}
		}
	}
}

func TestModuleGraphLimits(t *testing.T) {
	fsys := fstest.MapFS{}
	var b strings.Builder
	for i := range 20 {
		b.WriteString("require('./m" + string(rune('a'+i)) + "');\n")
		fsys["m"+string(rune('a'+i))+".js"] = file("")
	}
	fsys["main.js"] = file(b.String())
	fsys["big.js"] = file("require('./main');\n" + strings.Repeat(" ", 100))
	g, err := ModuleGraph(context.Background(), fsys, "main.js", GraphOptions{MaxFiles: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Files) != 5 || !g.Truncated || g.Limit != LimitMaxFiles || g.Complete() {
		t.Errorf("max files: %d files, truncated %v %q", len(g.Files), g.Truncated, g.Limit)
	}
	g, err = ModuleGraph(context.Background(), fsys, "big.js", GraphOptions{MaxFileSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Files) != 0 || !g.Truncated || g.Limit != LimitMaxFileSize {
		t.Errorf("max file size: %+v", g)
	}
	for _, bad := range []string{"nope.js", "../x.js", "/abs.js"} {
		if _, err := ModuleGraph(context.Background(), fsys, bad, GraphOptions{}); err == nil {
			t.Errorf("entry %q: no error", bad)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ModuleGraph(ctx, fsys, "main.js", GraphOptions{}); err == nil {
		t.Error("cancelled context: no error")
	}
}
