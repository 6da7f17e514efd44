package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestService(t *testing.T) {
	fsys := fstest.MapFS{
		"services/api/src/index.js":                 file("const app = express();\napp.get('/health', h);\napp.listen(PORT);\nprocess.on('SIGINT', stop);\n"),
		"services/api/src/util.ts":                  file("export const add = (a: number, b: number) => a + b;\n"),
		"services/api/node_modules/x/index.js":      file("process.send('ready')\n"),
		"services/api/dist/index.js":                file("process.send('ready')\n"),
		"services/api/vendor/lib.min.js":            file("process.send('ready')\n"),
		"services/api/docs/INIT_ENDPOINT_REPORT.md": file("use wait_ready\n"),
		"services/api/link.js":                      &fstest.MapFile{Data: []byte("src/index.js"), Mode: fs.ModeSymlink},
		"services/api/logo.png":                     file("\x89PNG"),
		"services/other/index.js":                   file("process.send('ready')\n"),
		"services/built/dist/server.js":             file("process.send('ready')\n"),
		"services/built/README.md":                  file("no options\n"),
	}
	ctx := context.Background()
	res, err := Service(ctx, fsys, "services/api", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2 route code GET /health", "3 listen code PORT", "4 signal-handler code SIGINT"}
	if got := ev(res.Evidence); !slices.Equal(got, want) {
		t.Errorf("Evidence: node_modules, dist (shadowed by src), minified and other services must be ignored\n got: %q\nwant: %q", got, want)
	}
	for _, e := range res.Evidence {
		if e.Path != "services/api/src/index.js" {
			t.Errorf("evidence path %q, want services/api/src/index.js", e.Path)
		}
	}
	if got := ev(res.Docs); !slices.Equal(got, []string{"1 option-mention doc wait_ready"}) || res.Docs[0].Path != "services/api/docs/INIT_ENDPOINT_REPORT.md" {
		t.Errorf("Docs = %+v", res.Docs)
	}
	if res.Files != 2 || res.DocFiles != 1 {
		t.Errorf("Files, DocFiles = %d, %d, want 2, 1", res.Files, res.DocFiles)
	}
	wantSkips := map[string]int{SkipBuildOutput: 1, SkipMinified: 1, SkipSymlink: 1}
	if res.Skipped != 3 || !maps.Equal(res.SkippedBy, wantSkips) {
		t.Errorf("Skipped = %d %v, want 3 %v", res.Skipped, res.SkippedBy, wantSkips)
	}
	if res.Truncated || res.Limit != "" {
		t.Errorf("Truncated = %v %q, want false", res.Truncated, res.Limit)
	}

	// A service whose only sources are build output is scanned there.
	res, err = Service(ctx, fsys, "services/built", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(res.Evidence); !slices.Equal(got, []string{"1 ready-handshake code process.send('ready')"}) {
		t.Errorf("build-only service: Evidence = %q", got)
	}
	if res.Files != 1 || res.Skipped != 0 {
		t.Errorf("build-only service: Files %d Skipped %d, want 1 0", res.Files, res.Skipped)
	}
}

func TestServiceLimits(t *testing.T) {
	fsys := fstest.MapFS{
		"a.js":   file("process.send('ready')\n"),
		"b.js":   file("process.on('SIGTERM', f)\n"),
		"c.js":   file("app.listen(1)\n"),
		"big.js": file("process.send('ready')\n" + strings.Repeat("//", 100)),
	}
	res, err := Service(context.Background(), fsys, ".", Options{MaxFiles: 2, MaxFileSize: 100, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Walk order is lexical: a.js, b.js, big.js (too large), then the limit.
	if !res.Truncated || res.Limit != "max-files" {
		t.Errorf("Truncated, Limit = %v %q, want true max-files", res.Truncated, res.Limit)
	}
	if res.Files != 2 {
		t.Errorf("Files = %d, want 2", res.Files)
	}

	res, err = Service(context.Background(), fsys, ".", Options{MaxFileSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.Limit != "max-file-size" || res.SkippedBy[SkipTooLarge] != 1 || res.Files != 3 {
		t.Errorf("size limit: %+v", res)
	}
	if slices.ContainsFunc(res.Evidence, func(e Evidence) bool { return e.Path == "big.js" }) {
		t.Errorf("evidence from a skipped file: %v", res.Evidence)
	}
}

func TestServiceErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"svc/a.js":   file("process.send('ready')\n"),
		"svc/f.js":   file("x"),
		"lnk":        &fstest.MapFile{Data: []byte("svc"), Mode: fs.ModeSymlink},
		"svc/bin.js": file("process\x00"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Service(ctx, fsys, "svc", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err = %v, want context.Canceled", err)
	}
	for _, dir := range []string{"../x", "/svc", "missing", "svc/a.js", "lnk"} {
		if _, err := Service(context.Background(), fsys, dir, Options{}); err == nil {
			t.Errorf("Service(%q) succeeded, want an error", dir)
		}
	}
	res, err := Service(context.Background(), fsys, "svc", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SkippedBy[SkipBinary] != 1 {
		t.Errorf("binary file not skipped: %v", res.SkippedBy)
	}
}

// cancelFS cancels the scan on the first file opened.
type cancelFS struct {
	fs.FS
	cancel context.CancelFunc
}

func (c cancelFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".js") {
		c.cancel()
	}
	return c.FS.Open(name)
}

func TestServiceCancelDuringRead(t *testing.T) {
	m := fstest.MapFS{}
	for i := range 50 {
		m[strings.Repeat("d/", i%3)+"f"+string(rune('a'+i%26))+strings.Repeat("x", i)+".js"] = file("process.send('ready')")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Service(ctx, cancelFS{m, cancel}, ".", Options{Workers: 2})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("cancel during read: res=%v err=%v, want nil, context.Canceled", res, err)
	}
}

// errFS fails to open one file.
type errFS struct{ fstest.MapFS }

func (e errFS) Open(name string) (fs.File, error) {
	if name == "svc/bad.js" {
		return nil, errors.New("corrupt object")
	}
	return e.MapFS.Open(name)
}

func TestServiceReadError(t *testing.T) {
	m := fstest.MapFS{"svc/a.js": file("x"), "svc/bad.js": file("y")}
	_, err := Service(context.Background(), errFS{m}, "svc", Options{})
	if err == nil || !strings.Contains(err.Error(), "svc/bad.js") || !strings.Contains(err.Error(), "corrupt object") {
		t.Errorf("err = %v, want the path and the cause", err)
	}
}

// TestServiceSymlinksOnDisk: on a real directory, symlinks to files and
// directories outside the service are skipped, never followed.
func TestServiceSymlinksOnDisk(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write := func(dir, name, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(outside, "secret.js", "process.send('ready')\n")
	write(outside, "lib/x.js", "process.send('ready')\n")
	write(root, "svc/index.js", "process.on('SIGTERM', stop)\n")
	for _, l := range [][2]string{
		{filepath.Join(outside, "secret.js"), "svc/linked.js"},
		{filepath.Join(outside, "lib"), "svc/lib"},
	} {
		if err := os.Symlink(l[0], filepath.Join(root, filepath.FromSlash(l[1]))); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	res, err := Service(context.Background(), os.DirFS(root), "svc", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(res.Evidence); !slices.Equal(got, []string{"1 signal-handler code SIGTERM"}) {
		t.Errorf("Evidence = %q: a symlink was followed", got)
	}
	if res.SkippedBy[SkipSymlink] != 2 {
		t.Errorf("SkippedBy = %v, want 2 symlinks", res.SkippedBy)
	}
}

// TestServiceDeterministic: the result does not depend on the number of
// workers or on scheduling.
func TestServiceDeterministic(t *testing.T) {
	m := fstest.MapFS{}
	for i := range 200 {
		body := "x = 1\n"
		if i%7 == 0 {
			body = fmt.Sprintf("app.get('/r%d', h)\nprocess.on('SIGINT', f)\n", i)
		}
		m[fmt.Sprintf("s/d%d/f%03d.ts", i%5, i)] = file(body)
	}
	one, err := Service(context.Background(), m, "s", Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		many, err := Service(context.Background(), m, "s", Options{Workers: 8})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(one, many) {
			t.Fatalf("Workers 1 and 8 differ:\n%+v\n%+v", one, many)
		}
	}
	if len(one.Evidence) != 2*29 || one.Files != 200 {
		t.Errorf("Evidence %d Files %d, want 58 and 200", len(one.Evidence), one.Files)
	}
}

// TestServiceSeedCase reproduces the seed audit's facts at scan level:
// the service never sends 'ready' (only a doc recommends it), it handles
// SIGINT/SIGTERM for graceful shutdown, listens on PORT and serves
// /health.
func TestServiceSeedCase(t *testing.T) {
	index := `require('dotenv').config();
const express = require('express');
const app = express();
const PORT = process.env.PORT || 3001;

app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.get('/status', (req, res) => res.json(manager.status()));

const server = app.listen(PORT, () => {
  console.log(` + "`[Server] Listening on port ${PORT}`" + `);
  console.log(` + "`[Server] Health: http://localhost:${PORT}/health`" + `);
});

async function gracefulShutdown(signal) {
  await manager.logoutAll();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', () => gracefulShutdown('SIGTERM'));
process.on('SIGINT', () => gracefulShutdown('SIGINT'));
`
	report := strings.Repeat("filler line\n", 727) +
		"## Recommendation\n" +
		"Add `wait_ready: true` and `listen_timeout: 10000` to the ecosystem file\n" +
		"and call process.send('ready') once the server listens.\n"
	fsys := fstest.MapFS{
		"services/session-manager/index.js":                     file(index),
		"services/session-manager/ecosystem.config.js":          file("module.exports = { apps: [{ name: 'session-manager', script: 'index.js', wait_ready: true, listen_timeout: 10000, kill_timeout: 10000 }] };\n"),
		"services/session-manager/docs/INIT_ENDPOINT_REPORT.md": file(report),
	}
	res, err := Service(context.Background(), fsys, "services/session-manager", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Has(Handshake, InCode) {
		t.Errorf("the seed service has no handshake in code: %v", res.Filter(Handshake, InCode))
	}
	var code []string
	for _, e := range res.Evidence {
		if e.Path == "services/session-manager/index.js" {
			code = append(code, fmt.Sprintf("%d %s %s %s", e.Line, e.Kind, e.Context, e.Detail))
		}
	}
	wantCode := []string{
		"4 port-default code 3001",
		"6 route code GET /health",
		"7 route code GET /status",
		"9 listen code PORT",
		"16 close code server",
		"18 signal-handler code SIGTERM",
		"19 signal-handler code SIGINT",
	}
	if !slices.Equal(code, wantCode) {
		t.Errorf("index.js evidence\n got: %q\nwant: %q", code, wantCode)
	}
	wantDocs := []string{
		"729 option-mention doc listen_timeout",
		"729 option-mention doc wait_ready",
		"730 option-mention doc process.send('ready')",
		"730 ready-mention doc doc",
	}
	if got := ev(res.Docs); !slices.Equal(got, wantDocs) {
		t.Errorf("Docs\n got: %q\nwant: %q", got, wantDocs)
	}
}

// TestServiceSkipsEcosystemFiles: an ecosystem file in the service
// directory is configuration; its PORT or a comment about wait_ready must
// not be reported as what the code does.
func TestServiceSkipsEcosystemFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"svc/ecosystem.config.js": {Data: []byte("// process.send('ready') is not sent\nmodule.exports = {apps: [{name: 'a', script: 'index.js', env: {PORT: 3001}}]};\n")},
		"svc/index.js":            {Data: []byte("require('http').createServer().listen(process.env.PORT || 4000);\n")},
	}
	res, err := Service(context.Background(), fsys, "svc", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Evidence {
		if e.Path == "svc/ecosystem.config.js" {
			t.Errorf("evidence from the ecosystem file: %+v", e)
		}
	}
	if res.SkippedBy[SkipConfig] != 1 {
		t.Errorf("SkippedBy = %v, want one %s", res.SkippedBy, SkipConfig)
	}
}

// TestIsSourceIsDoc: the engine classifies changed files with the same
// extension tables (and the same case rule) as the scan reads them.
func TestIsSourceIsDoc(t *testing.T) {
	for _, c := range []struct {
		path     string
		src, doc bool
	}{
		{"svc/index.js", true, false},
		{"svc/Server.JS", true, false},
		{"svc/types.mts", true, false},
		{"svc/README.MD", false, true},
		{"svc/notes.rst", false, true},
		{"svc/app.py", false, false},
		{"svc/Makefile", false, false},
	} {
		if got := IsSource(c.path); got != c.src {
			t.Errorf("IsSource(%q) = %v, want %v", c.path, got, c.src)
		}
		if got := IsDoc(c.path); got != c.doc {
			t.Errorf("IsDoc(%q) = %v, want %v", c.path, got, c.doc)
		}
	}
}

// TestIsTest: test files and fixtures by directory and name, relative to
// the service directory.
func TestIsTest(t *testing.T) {
	for _, c := range []struct {
		dir, path string
		want      bool
	}{
		{"svc", "svc/index.js", false},
		{"svc", "svc/src/server.ts", false},
		{"svc", "svc/test/server.js", true},
		{"svc", "svc/tests/helpers/db.js", true},
		{"svc", "svc/src/__tests__/server.js", true},
		{"svc", "svc/src/__mocks__/ipc.js", true},
		{"svc", "svc/src/__fixtures__/app.js", true},
		{"svc", "svc/fixtures/app.js", true},
		{"svc", "svc/spec/app.js", true},
		{"svc", "svc/Test/app.js", true},
		{"svc", "svc/src/server.test.js", true},
		{"svc", "svc/src/server.spec.ts", true},
		{"svc", "svc/src/app.e2e-spec.ts", true},
		{"svc", "svc/src/server-test.mjs", true},
		{"svc", "svc/src/server_test.cjs", true},
		{"svc", "svc/test.js", true},
		{"svc", "svc/test-utils.js", true},
		{"svc", "svc/src/latest.js", false},
		{"svc", "svc/src/contest.js", false},
		{"svc", "svc/src/testing.js", false},
		{"svc", "svc/src/attest/x.js", false},
		{"svc", "svc/src/.test.js", false},
		// Only the part below the service directory counts.
		{"test/e2e-app", "test/e2e-app/index.js", false},
		{"packages/test", "packages/test/server.js", false},
		{".", "test/x.js", true},
		{".", "index.js", false},
	} {
		if got := IsTest(c.dir, c.path); got != c.want {
			t.Errorf("IsTest(%q, %q) = %v, want %v", c.dir, c.path, got, c.want)
		}
	}
}

// TestServiceTests: a handshake, a SIGINT handler or a cluster worker
// handshake found only in tests and fixtures is kept in Context test,
// never as code; other evidence in tests (listen, routes, ready mentions)
// is dropped.
func TestServiceTests(t *testing.T) {
	fsys := fstest.MapFS{
		"svc/index.js":                   file("app.listen(PORT);\nprocess.on('SIGTERM', stop);\n"),
		"svc/test/server.test.js":        file("process.send('ready');\nprocess.on('SIGINT', stop);\napp.get('/health', h);\n"),
		"svc/src/__tests__/worker.js":    file("cluster.worker.send('ready');\n// process.send('ready')\n"),
		"svc/src/__mocks__/ipc.js":       file("client.on('ready', f);\nserver.listen(1);\nserver.close();\n"),
		"svc/src/server.spec.ts":         file("const { send } = process;\nsend.call(process, 'ready');\n"),
		"svc/fixtures/app.js":            file("process.on('message', (m) => { if (m === 'shutdown') stop(); });\n"),
		"svc/test/no-process-mention.js": file("const x = 'ready'; server.close();\n"),
	}
	res, err := Service(context.Background(), fsys, "svc", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Evidence {
		got = append(got, fmt.Sprintf("%s:%d %s %s %s", e.Path, e.Line, e.Kind, e.Context, e.Detail))
	}
	want := []string{
		"svc/fixtures/app.js:1 shutdown-message test shutdown",
		"svc/index.js:1 listen code PORT",
		"svc/index.js:2 signal-handler code SIGTERM",
		"svc/src/__tests__/worker.js:1 worker-ready-handshake test cluster.worker.send('ready')",
		"svc/src/server.spec.ts:2 ready-handshake test process.send('ready')",
		"svc/test/server.test.js:1 ready-handshake test process.send('ready')",
		"svc/test/server.test.js:2 signal-handler test SIGINT",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Evidence\n got: %q\nwant: %q", got, want)
	}
	if res.Has(Handshake, InCode) || res.Has(WorkerHandshake, InCode) {
		t.Error("a handshake only in tests counted as code")
	}
	if res.Files != 7 || res.TestFiles != 6 {
		t.Errorf("Files, TestFiles = %d, %d, want 7, 6", res.Files, res.TestFiles)
	}
}
