package proof

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeNPM writes an npm stand-in that counts its runs in count and
// installs a pm2 package.json, as `npm ci` would.
func fakeNPM(t *testing.T, count string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "npm")
	script := "#!/bin/sh\necho run >> " + count + "\nmkdir -p node_modules/pm2 node_modules/.bin && " +
		"echo '{\"version\":\"7.0.4\"}' > node_modules/pm2/package.json && sleep 0.2\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func runs(t *testing.T, count string) int {
	b, err := os.ReadFile(count)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "run")
}

// TestPM2InstallIsCachedByLock protects the proof suite's npm cache
// (issue 10): the pinned PM2 is installed once per lock file; the next
// install runs no npm at all (so makes no registry request), another lock
// gets another copy, and installs racing in parallel all end with one
// complete copy and no half-installed folder.
func TestPM2InstallIsCachedByLock(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh for the npm stand-in")
	}
	count := filepath.Join(t.TempDir(), "count")
	npm := fakeNPM(t, count)
	root := t.TempDir()
	key, err := lockKey()
	if err != nil {
		t.Fatal(err)
	}
	dir, ran, _, err := ensurePM2(t.Context(), root, key, npm, nil)
	if err != nil || !ran || runs(t, count) != 1 || !installed(dir) {
		t.Fatalf("first install: dir %s ran %v runs %d err %v", dir, ran, runs(t, count), err)
	}
	again, ran, _, err := ensurePM2(t.Context(), root, key, "/nonexistent/npm", nil)
	if err != nil || ran || again != dir || runs(t, count) != 1 {
		t.Fatalf("second install: dir %s ran %v runs %d err %v; want the cached copy, npm not run", again, ran, runs(t, count), err)
	}
	if _, ran, _, err := ensurePM2(t.Context(), root, "pm2-otherlock", npm, nil); err != nil || !ran {
		t.Fatalf("another lock: ran %v err %v, want a new install", ran, err)
	}

	// Parallel installs into an empty cache.
	root = t.TempDir()
	var wg sync.WaitGroup
	dirs := make([]string, 4)
	errs := make([]error, 4)
	for i := range dirs {
		wg.Go(func() {
			dirs[i], _, _, errs[i] = ensurePM2(context.Background(), root, key, npm, nil)
		})
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil || dirs[i] != filepath.Join(root, key) {
			t.Fatalf("parallel install %d: %s, %v", i, dirs[i], errs[i])
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || !installed(filepath.Join(root, key)) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("after parallel installs the cache holds %v, want only %s, complete", names, key)
	}
	// A failed install leaves nothing behind.
	root = t.TempDir()
	if _, _, _, err := ensurePM2(t.Context(), root, key, "/bin/false", nil); err == nil {
		t.Fatal("a failing npm gave an install")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("a failed install left %d entries", len(entries))
	}
}

// TestPM2InstallSecondRunMakesNoRequest is the same with the real npm and
// registry: once installed (into the suite's own cache), installing again
// with npm unavailable and the registry pointed at a closed port still
// gives PM2, so the rerun makes no network request.
func TestPM2InstallSecondRunMakesNoRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("installs PM2; skipped with -short")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipOrFail(t, "npm is not in PATH")
	}
	root, err := pm2CacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	key, err := lockKey()
	if err != nil {
		t.Fatal(err)
	}
	dir, _, out, err := ensurePM2(t.Context(), root, key, npm, nil)
	if err != nil {
		if registryDown.Match(out) {
			skipOrFail(t, "the npm registry is unreachable: %v", err)
		}
		t.Fatalf("install: %v\n%s", err, tail(out, 2000))
	}
	again, ran, _, err := ensurePM2(t.Context(), root, key, "/nonexistent/npm", []string{"npm_config_registry=http://127.0.0.1:9/"})
	if err != nil || ran || again != dir {
		t.Fatalf("rerun: %s ran %v err %v; want the cached copy without npm", again, ran, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "pm2")); err != nil {
		t.Fatalf("the cached copy has no pm2: %v", err)
	}
}
