package audit

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/auditbot/auditbot/audit/launcher"
)

// TestBuildOutput: scripts that a deploy builds or installs are not
// committed, and must not be reported missing.
func TestBuildOutput(t *testing.T) {
	fsys := fstest.MapFS{
		"api/package.json":  {Data: []byte(`{"scripts": {"build": "nest build"}}`)},
		"web/tsconfig.json": {Data: []byte(`{}`)},
		"cli/package.json":  {Data: []byte(`{"scripts": {"start": "node index.js"}}`)},
		"big/package.json":  {Data: []byte(`{"scripts": {"build": "tsc"}, "description": "` + strings.Repeat("x", launcher.MaxSize) + `"}`)},
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
		{"dist/main.js", "", false},     // no package at the root
		{"big/dist/main.js", "", false}, // package.json over launcher.MaxSize: not read
	} {
		root, ok := buildOutput(fsys, c.script)
		if ok != c.ok || root != c.root {
			t.Errorf("buildOutput(%q) = %q, %v; want %q, %v", c.script, root, ok, c.root, c.ok)
		}
	}
}

// TestPackageTypeBounded: an app's package type comes from the nearest
// package.json; one over launcher.MaxSize is not read (its type is
// unknown) and the walk does not go past it to its parent's.
func TestPackageTypeBounded(t *testing.T) {
	fsys := fstest.MapFS{
		"package.json":     {Data: []byte(`{"type": "commonjs"}`)},
		"svc/package.json": {Data: []byte(`{"type": "module"}`)},
		"big/package.json": {Data: []byte(`{"type": "module", "description": "` + strings.Repeat("x", launcher.MaxSize) + `"}`)},
	}
	for dir, want := range map[string]string{"svc/src": "module", "other": "commonjs", "big/src": ""} {
		if got := packageType(fsys, dir); got != want {
			t.Errorf("packageType(%q) = %q, want %q", dir, got, want)
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
