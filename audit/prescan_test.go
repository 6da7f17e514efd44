package audit

import (
	"context"
	"slices"
	"testing"

	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// prescanTree has two services, each with its ecosystem file beside its
// code, and a documentation folder that no config runs.
var prescanTree = changetest.Tree{
	"svc/a/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'a', script: 'index.js', wait_ready: true }] };\n"),
	"svc/a/package.json":        changetest.Text(`{"name": "a"}` + "\n"),
	"svc/a/index.js":            changetest.Text("process.send('ready');\n"),
	"svc/a/NOTES.md":            changetest.Text("notes\n"),
	"svc/b/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'b', script: 'lib/main.js' }] };\n"),
	"svc/b/lib/main.js":         changetest.Text("require('http').createServer().listen(3000);\n"),
	"docs/guide.md":             changetest.Text("guide\n"),
}

// prescanRun opens the change from prescanTree to prescanTree with add
// set, ready for collect.
func prescanRun(t *testing.T, add changetest.Tree) *run {
	t.Helper()
	f := changetest.NewFixture(t)
	base := f.Commit("base", prescanTree)
	head := f.Commit("head", prescanTree.With(add), base)
	f.Ref("refs/heads/main", head)
	f.Ref("HEAD", head)
	r, err := change.Resolve(context.Background(), f.Repo(), "")
	if err != nil {
		t.Fatal(err)
	}
	a := &run{repo: f.Repo(), rng: r, opt: Options{}}
	if err := a.open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestGuessServices: the services scanned ahead of the head walk are those
// of a changed ecosystem file and those whose source the change touches
// under a config in a directory above; a change that touches neither makes
// no guess, since a wrong guess is CPU spent for nothing.
func TestGuessServices(t *testing.T) {
	for _, c := range []struct {
		name string
		add  changetest.Tree
		want []string
	}{
		{"changed config", changetest.Tree{"svc/a/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'a', script: 'index.js' }] };\n")}, []string{"svc/a"}},
		{"changed source below its config", changetest.Tree{"svc/b/lib/main.js": changetest.Text("process.on('SIGINT', () => {});\n")}, []string{"svc/b/lib"}}, // no package.json: the script's directory, as resolve says
		{"changed documentation of a service", changetest.Tree{"svc/a/NOTES.md": changetest.Text("more notes\n")}, []string{}},
		{"changed file under no config", changetest.Tree{"docs/guide.md": changetest.Text("new guide\n")}, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := prescanRun(t, c.add)
			if got := a.guessServices(context.Background()); !slices.Equal(got, c.want) {
				t.Errorf("guessServices = %q, want %q", got, c.want)
			}
		})
	}
}

// TestPrescanServesHeadScan: the head scan of a guessed service is the
// prescan's result, not a second scan, and the base still scans its own
// revision.
func TestPrescanServesHeadScan(t *testing.T) {
	a := prescanRun(t, changetest.Tree{"svc/a/index.js": changetest.Text("// no handshake any more\n")})
	ctx := context.Background()
	a.pre = a.startPrescan(ctx)
	defer a.pre.stop()
	if err := a.collect(ctx); err != nil {
		t.Fatal(err)
	}
	doc, err := a.document(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pre, ok := a.pre.result("svc/a")
	if !ok || pre == nil {
		t.Fatal("the prescan did not scan svc/a")
	}
	if a.head.scans["svc/a"] != pre {
		t.Error("the head scan of svc/a is not the prescan's result")
	}
	if a.base.scans["svc/a"] == pre {
		t.Error("the base reused the head's scan although the change touches svc/a")
	}
	if len(doc.Findings) == 0 {
		t.Error("no finding: wait_ready without the handshake at head was not found")
	}
}
