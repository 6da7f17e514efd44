package audit

import (
	"testing"
	"testing/fstest"
)

// TestBuildOutput: scripts that a deploy builds or installs are not
// committed, and must not be reported missing.
func TestBuildOutput(t *testing.T) {
	fsys := fstest.MapFS{
		"api/package.json":  {Data: []byte(`{"scripts": {"build": "nest build"}}`)},
		"web/tsconfig.json": {Data: []byte(`{}`)},
		"cli/package.json":  {Data: []byte(`{"scripts": {"start": "node index.js"}}`)},
	}
	for _, c := range []struct {
		script, root string
		ok           bool
	}{
		{"api/dist/main.js", "api", true},
		{"web/build/server/index.js", "web", true},
		{"cli/dist/index.js", "", false}, // no build step: really missing
		{"api/src/main.js", "", false},   // not a build directory
		{"node_modules/.bin/next", ".", true},
		{"web/node_modules/next/dist/bin/next", "web", true},
		{"dist/main.js", "", false}, // no package at the root
	} {
		root, ok := buildOutput(fsys, c.script)
		if ok != c.ok || root != c.root {
			t.Errorf("buildOutput(%q) = %q, %v; want %q, %v", c.script, root, ok, c.root, c.ok)
		}
	}
}

// TestHostAbs: a Windows path with a drive letter is as absolute on its
// host as /srv/app is; joined to the config's directory it named a
// "C:/APPS/..." directory inside the repository.
func TestHostAbs(t *testing.T) {
	for s, want := range map[string]bool{
		"/srv/app": true, `C:\apps\api`: true, "C:/APPS/Steckbrief-Manager": true, "d:/x": true, `\\host\share`: true,
		"./api": false, "api": false, "C:": false, "C:api": false, "1:/x": false, "": false, "~/app": false,
	} {
		if got := hostAbs(s); got != want {
			t.Errorf("hostAbs(%q) = %v, want %v", s, got, want)
		}
	}
}
