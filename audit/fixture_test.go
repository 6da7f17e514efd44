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

// noteAbout returns the first note whose path is p and whose message
// contains all of words.
func noteAbout(doc *audit.Document, p string, words ...string) *audit.Note {
	for i := range doc.Notes {
		n := &doc.Notes[i]
		if n.Path != p {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(n.Msg, w) {
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
func TestImplicitClusterInstances(t *testing.T) {
	for _, c := range []struct {
		instances, mode string
	}{{"1", "cluster"}, {"-1", "cluster"}, {"'max'", "cluster"}, {"-2", "fork"}} {
		conf := "module.exports = { apps: [{ name: 'api', script: 'server.js', instances: " + c.instances + " }] };\n"
		base := changetest.Tree{"svc/server.js": changetest.Text("require('http').createServer().listen(3000);\n")}
		doc := auditChange(t, base, base.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(conf)}))
		if len(doc.Services) != 1 || doc.Services[0].Mode != c.mode {
			t.Errorf("instances %s: services %+v, want one in %s mode", c.instances, doc.Services, c.mode)
		}
	}
}
