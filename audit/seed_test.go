package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/demo"
	"github.com/auditbot/auditbot/report"
)

// TestSeedCase checks that the engine finds, by itself, the facts the
// hand-written audit found for the session-manager change (the built-in
// demo reproduces that repository).
func TestSeedCase(t *testing.T) {
	repo, err := demo.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := audit.RunRange(context.Background(), repo, "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Impact {
		t.Fatal("the change to both ecosystem files has no PM2 impact")
	}
	const dir = "services/session-manager/"

	t.Run("removal fixes wait-ready-without-handshake in both files", func(t *testing.T) {
		for _, want := range []struct {
			path string
			line int
		}{{dir + "ecosystem.config.js", 57}, {dir + "ecosystem.config.cjs", 38}} {
			f := findFinding(doc, "wait-ready-without-handshake", want.path)
			if f == nil {
				t.Errorf("%s: no wait-ready-without-handshake finding", want.path)
				continue
			}
			if f.State != audit.Fixed || f.Line != want.line || f.LineChange != "removed" {
				t.Errorf("%s: state %s line %d (%s), want fixed at line %d (removed)", want.path, f.State, f.Line, f.LineChange, want.line)
			}
		}
	})

	t.Run("the Markdown mention is documentation, not implementation", func(t *testing.T) {
		found := false
		for _, d := range doc.Docs {
			if d.Path == dir+"docs/INIT_ENDPOINT_REPORT.md" && d.Context == "doc" && (d.Line == 708 || d.Line == 709) {
				found = true
			}
		}
		if !found {
			t.Errorf("docs mention of wait_ready at INIT_ENDPOINT_REPORT.md:708 not reported: %+v", doc.Docs)
		}
		for _, s := range doc.Services {
			for _, e := range s.Evidence {
				if e.Kind == "ready-handshake" && e.Context == "code" {
					t.Errorf("handshake reported in code at %s:%d", e.Path, e.Line)
				}
			}
		}
	})

	t.Run("shutdown handlers back kill_timeout", func(t *testing.T) {
		if f := findFinding(doc, "kill-signal-not-handled", ""); f != nil {
			t.Errorf("kill-signal-not-handled reported although index.js handles SIGINT: %+v", f)
		}
		signals := map[string]bool{}
		for _, s := range doc.Services {
			for _, e := range s.Evidence {
				if e.Kind == "signal-handler" && e.Context == "code" {
					signals[e.Detail] = true
				}
			}
		}
		if !signals["SIGINT"] || !signals["SIGTERM"] {
			t.Errorf("signal handlers found: %v, want SIGINT and SIGTERM", signals)
		}
	})

	t.Run("twin files and their differences", func(t *testing.T) {
		var js *audit.Ecosystem
		for i := range doc.Ecosystems {
			if doc.Ecosystems[i].Path == dir+"ecosystem.config.js" {
				js = &doc.Ecosystems[i]
			}
		}
		if js == nil || len(js.Twins) != 1 || js.Twins[0] != dir+"ecosystem.config.cjs" {
			t.Fatalf("ecosystem.config.js twins: %+v", js)
		}
		drift := findFinding(doc, "twin-config-drift", dir+"ecosystem.config.js")
		if drift == nil {
			t.Fatal("no twin-config-drift finding for the .js/.cjs differences")
		}
		// A secret among the differences is masked without swallowing the
		// rest of the message.
		for _, want := range []string{"kill_timeout", "node_args", "SESSION_SECRET"} {
			if !strings.Contains(messageIn(t, *drift, "es"), want) || !strings.Contains(messageIn(t, *drift, "en"), want) {
				t.Errorf("twin-config-drift message lacks %s: %s", want, messageIn(t, *drift, "en"))
			}
		}
		removed := map[string]bool{}
		for _, c := range js.Changes {
			if c.Change == audit.Removed {
				removed[c.Key] = true
			}
		}
		if len(removed) != 2 || !removed["wait_ready"] || !removed["listen_timeout"] {
			t.Errorf("removed options: %v, want wait_ready and listen_timeout", removed)
		}
	})

	t.Run("placeholder helper script", func(t *testing.T) {
		if findFinding(doc, "helper-script-unreferenced", "") == nil {
			t.Error("start-with-xvfb.sh not reported")
		}
	})

	t.Run("cwd mapped from the production path", func(t *testing.T) {
		for _, s := range doc.Services {
			if s.Dir != strings.TrimSuffix(dir, "/") || !s.ScriptExists || s.Interpreter != "node" || s.Mode != "fork" {
				t.Errorf("service %+v: want dir %s, index.js found, node, fork", s, dir)
			}
		}
	})

	t.Run("secrets never reach the document", func(t *testing.T) {
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "prod-7f3a9c1e55d04b2a") {
			t.Error("SESSION_SECRET value present in the JSON document")
		}
	})
}

func findFinding(doc *audit.Document, rule, path string) *audit.Finding {
	for i := range doc.Findings {
		f := &doc.Findings[i]
		if f.Rule == rule && (path == "" || f.Path == path) {
			return f
		}
	}
	return nil
}

// TestSecretsNeverInDocument protects the promise that secret values of a
// config (literal, through a constant, in a URL, as an env default) reach
// no part of the document: options, hunks, evidence, messages, notes.
func TestSecretsNeverInDocument(t *testing.T) {
	repo := buildRepo(t, "secrets")
	doc, err := audit.RunRange(context.Background(), repo, "", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"document": string(data)}
	for _, lang := range []string{"es", "en"} {
		var md, txt bytes.Buffer
		if err := report.Markdown(&md, doc, report.Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if err := report.Text(&txt, doc, report.Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		outputs["markdown/"+lang], outputs["text/"+lang] = md.String(), txt.String()
	}
	var js bytes.Buffer
	if err := report.JSON(&js, doc, report.Options{}); err != nil {
		t.Fatal(err)
	}
	outputs["json"] = js.String()
	for _, secret := range []string{"hunter2-db-pass", "sk_live_51HxQz9ExampleSecretValue", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "fallback-pass-123",
		"deploy-token-4242", "pkg-pass-987", // in shell commands the report quotes
		// Under keys that do not look secret, found by the value's shape
		// (issue 9): flags, a connection string, basic auth in base64, a
		// token as URL userinfo, a query parameter; and every literal of
		// a concatenation or template under a secret key.
		"argpass-111", "argtoken-222", "nodepass-333", "argkey-arr-444", "connpass-555",
		"YmlsbGluZzpiYXNpY3Bhc3MtNjY2", "tmplpart-777", "zq9userinfotoken0123456789abcdef", "querytok-888",
		"YmlsbGluZzpzaGFwZXBhc3MtOTk5", "YmlsbGluZzptdWx0aWxpbmUtMTAxMA"} {
		for name, out := range outputs {
			if strings.Contains(out, secret) {
				t.Errorf("secret %q present in the %s", secret, name)
			}
		}
	}
	for _, rule := range []string{"kill-signal-option", "env-name-not-defined"} {
		if !strings.Contains(string(data), rule) {
			t.Errorf("no %s finding: the rest of the config was not audited", rule)
		}
	}
}
