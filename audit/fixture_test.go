package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
	"github.com/auditbot/auditbot/report"
)

// changeRepo commits base then head on main (master points there too, and
// HEAD follows main) in a new in-memory repository and returns it.
func changeRepo(t testing.TB, base, head changetest.Tree) *git.Repository {
	t.Helper()
	f := changetest.NewFixture(t)
	b := f.Commit("base", base)
	h := f.Commit("change under audit", head, b)
	f.Ref("refs/heads/master", h)
	f.Ref("refs/heads/main", h)
	if err := f.Repo().Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName("main"))); err != nil {
		t.Fatal(err)
	}
	return f.Repo()
}

// auditChange runs the default range (HEAD~1..HEAD) on a base→head change.
func auditChange(t *testing.T, base, head changetest.Tree) *audit.Document {
	t.Helper()
	repo := changeRepo(t, base, head)
	doc, err := audit.RunRange(context.Background(), repo, "", audit.Options{Version: "test"})
	if err != nil {
		t.Fatalf("RunRange: %v", err)
	}
	return doc
}

// encode renders the document as the CLI does.
func encode(t testing.TB, doc *audit.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// findingsOf lists "rule state path" of every finding, for messages.
func findingsOf(doc *audit.Document) []string {
	var out []string
	for _, f := range doc.Findings {
		out = append(out, f.Rule+" "+f.State+" "+f.Path+" "+f.App)
	}
	return out
}

// englishNote is a note's text in English: its message phrased by the
// report's catalog, or its English text when it has none.
func englishNote(n *audit.Note) string {
	if n.Says == nil {
		return n.Msg
	}
	s, err := report.NoteText(*n, "en")
	if err != nil {
		return err.Error()
	}
	return s
}

// noteAbout returns the first note whose path is p and whose message
// contains all of words.
func noteAbout(doc *audit.Document, p string, words ...string) *audit.Note {
	for i := range doc.Notes {
		n := &doc.Notes[i]
		if n.Path != p {
			continue
		}
		ok := true
		text := englishNote(n)
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
			}
		}
		if ok {
			return n
		}
	}
	return nil
}

func hasFinding(doc *audit.Document, rule, state, path string) bool {
	for _, f := range doc.Findings {
		if f.Rule == rule && (state == "" || f.State == state) && (path == "" || f.Path == path) {
			return true
		}
	}
	return false
}

// TestImplicitClusterInstances: without exec_mode PM2 picks cluster mode
// only for instances >= -1 (docs/pm2-behaviour.md#implicit-cluster-mode); -2 and below stay in fork mode.
// The document says what pm2.Resolve says: null is no instances, a
// string goes through parseInt, aliases are folded, and a mode that
// depends on a value computed at run time is "" (unknown).
func TestImplicitClusterInstances(t *testing.T) {
	for _, c := range []struct {
		opts, mode, interp string
		instances          int
	}{
		{"instances: 1", "cluster", "node", 1},
		{"instances: -1", "cluster", "node", -1},
		{"instances: 'max'", "cluster", "node", 0},
		{"instances: -2", "fork", "node", -2},
		{"instances: null", "fork", "node", 1},
		{"instances: '3'", "cluster", "node", 3},
		{"instances: 'all'", "cluster", "node", 0},
		{"instances: require('os').cpus().length", "cluster", "node", 1},
		{"instances: 2, execMode: 'fork'", "fork", "node", 2},
		{"instances: 2, exec_mode: process.env.MODE", "", "node", 2},
		{"instances: 2, interpreter: process.env.NODE", "", "", 2},
		{"instances: 2, exec_interpreter: '', interpreter: 'python3'", "fork", "python3", 2},
	} {
		conf := "module.exports = { apps: [{ name: 'api', script: 'server.js', " + c.opts + " }] };\n"
		base := changetest.Tree{"svc/server.js": changetest.Text("require('http').createServer().listen(3000);\n")}
		doc := auditChange(t, base, base.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(conf)}))
		if len(doc.Services) != 1 || doc.Services[0].Mode != c.mode || doc.Services[0].Interpreter != c.interp ||
			doc.Services[0].Instances != c.instances {
			t.Errorf("%s: services %+v, want one in mode %q, interpreter %q, %d instances", c.opts, doc.Services, c.mode, c.interp, c.instances)
		}
	}
}
