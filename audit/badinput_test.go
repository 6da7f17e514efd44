package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/change/changetest"
	"github.com/auditbot/auditbot/audit/demo"
	"github.com/auditbot/auditbot/audit/scan"
)

const (
	readyServer   = "const http = require('http');\nhttp.createServer(() => {}).listen(3000, () => {\n  process.send('ready');\n});\n"
	silentServer  = "const http = require('http');\nhttp.createServer(() => {}).listen(3000);\n"
	waitReadyConf = "module.exports = {\n  apps: [{\n    name: 'api',\n    script: 'server.js',\n    wait_ready: true,\n  }],\n};\n"
)

// TestBadInput protects the promise that no input stops or silently
// narrows an audit: each bad file ends as a finding or a note that names
// it, and the rest of the change is still audited.
func TestBadInput(t *testing.T) {
	// A second, healthy config changed in every case, so each test also
	// checks that the rest of the change is audited.
	healthy := changetest.Tree{
		"other/server.js":           changetest.Text(silentServer),
		"other/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'other', script: 'server.js' }] };\n"),
	}
	healthyHead := healthy.With(changetest.Tree{
		"other/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'other', script: 'server.js', kill_signal: 'SIGTERM' }] };\n"),
	})
	restAudited := func(t *testing.T, doc *audit.Document) {
		t.Helper()
		if !hasFinding(doc, "kill-signal-option", audit.Introduced, "other/ecosystem.config.js") {
			t.Errorf("the healthy config was not audited: %v", findingsOf(doc))
		}
	}

	nested := "module.exports = { apps: [{ name: 'deep', script: 'server.js', env: " +
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + " }] };\n"
	huge := "{\"apps\": [{\"name\": \"big\", \"script\": \"server.js\", \"env\": {\"PAD\": \"" +
		strings.Repeat("x", 3<<20) + "\"}}]}\n"

	for _, tc := range []struct {
		name       string
		base, head changetest.Tree
		check      func(t *testing.T, doc *audit.Document)
	}{
		{
			name: "binary file named ecosystem.config.js",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")}),
			check: func(t *testing.T, doc *audit.Document) {
				if !hasFinding(doc, "config-parse-error", audit.Introduced, "svc/ecosystem.config.js") {
					t.Errorf("no config-parse-error for the binary config: %v", findingsOf(doc))
				}
			},
		},
		{
			name: "3 MiB ecosystem.config.json",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.json": changetest.Text(huge)}),
			check: func(t *testing.T, doc *audit.Document) {
				// PM2 loads it: auditbot did not read it, so the audit is
				// incomplete, not the file broken.
				if f := findFinding(doc, "config-parse-error", "svc/ecosystem.config.json"); f != nil {
					t.Errorf("config-parse-error for a file PM2 loads: %s", messageIn(t, *f, "en"))
				}
				if doc.Summary.Verdict != "incomplete" {
					t.Errorf("verdict %q, want incomplete", doc.Summary.Verdict)
				}
				for _, c := range doc.Changed {
					if c.Path == "svc/ecosystem.config.json" && len(c.Hunks) > 0 {
						t.Errorf("the 3 MiB file's hunks are copied into the document")
					}
				}
				if noteAbout(doc, "svc/ecosystem.config.json", "over the 1048576-byte limit", "diff") == nil {
					t.Errorf("no note says the file's diff is left out: %+v", doc.Notes)
				}
			},
		},
		{
			name: "non-UTF-8 config",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'caf\xe9', script: 'server.js' }] };\n")}),
			check: func(t *testing.T, doc *audit.Document) {
				// Node loads it: read as Latin-1, with a note.
				if f := findFinding(doc, "config-parse-error", "svc/ecosystem.config.js"); f != nil {
					t.Errorf("config-parse-error for a Latin-1 file: %s", messageIn(t, *f, "en"))
				}
				if noteAbout(doc, "svc/ecosystem.config.js", "not UTF-8", "Latin-1") == nil {
					t.Errorf("no note on the encoding: %+v", doc.Notes)
				}
			},
		},
		{
			name: "deeply nested literal",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(nested), "svc/server.js": changetest.Text(silentServer)}),
			check: func(t *testing.T, doc *audit.Document) {
				// node reads 5000 nested arrays; auditbot's parser stops
				// at its depth limit: not read, so incomplete.
				if hasFinding(doc, "config-parse-error", "", "svc/ecosystem.config.js") {
					t.Errorf("config-parse-error for a file node loads: %v", findingsOf(doc))
				}
				if doc.Summary.Verdict != "incomplete" || noteAbout(doc, "svc/ecosystem.config.js", "nesting deeper than 100", "not audited") == nil {
					t.Errorf("verdict %q, notes %+v; want incomplete and a note naming the limit", doc.Summary.Verdict, doc.Notes)
				}
			},
		},
		{
			name: "symlink to a file outside the repository",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Link("../../etc/passwd")}),
			check: func(t *testing.T, doc *audit.Document) {
				if n := noteAbout(doc, "svc/ecosystem.config.js", "symbolic link", "not followed"); n == nil || n.Kind != audit.NoteSkipped {
					t.Errorf("no skipped note for the symlinked config: %+v", doc.Notes)
				}
				if strings.Contains(string(encode(t, doc)), "root:x:0") {
					t.Error("the link was followed")
				}
			},
		},
		{
			name: "symlink to a config inside the repository",
			base: healthy.With(changetest.Tree{"svc/real.config.js": changetest.Text(waitReadyConf), "svc/server.js": changetest.Text(silentServer)}),
			head: healthyHead.With(changetest.Tree{"svc/real.config.js": changetest.Text(waitReadyConf), "svc/server.js": changetest.Text(silentServer),
				"svc/ecosystem.config.js": changetest.Link("real.config.js")}),
			check: func(t *testing.T, doc *audit.Document) {
				if noteAbout(doc, "svc/ecosystem.config.js", "symbolic link", "not followed") == nil {
					t.Errorf("no note for the symlinked config: %+v", doc.Notes)
				}
			},
		},
		{
			name: "cwd escaping the repository",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text("module.exports = {\n  apps: [{\n    name: 'esc',\n    cwd: '../../..',\n    script: 'server.js',\n    wait_ready: true,\n  }],\n};\n"),
				"svc/server.js": changetest.Text(silentServer)}),
			check: func(t *testing.T, doc *audit.Document) {
				n := noteAbout(doc, "svc/ecosystem.config.js", "../../..", "outside the repository")
				if n == nil || n.Line != 4 {
					t.Errorf("no note at the cwd line (4) saying it leaves the repository: %+v", doc.Notes)
				}
				for _, r := range []string{"script-not-found", "wait-ready-without-handshake"} {
					if hasFinding(doc, r, "", "svc/ecosystem.config.js") {
						t.Errorf("%s claimed about a service that was not read: %v", r, findingsOf(doc))
					}
				}
			},
		},
		{
			name: "script is a symlink",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(waitReadyConf), "svc/real.js": changetest.Text(readyServer),
				"svc/server.js": changetest.Link("real.js")}),
			check: func(t *testing.T, doc *audit.Document) {
				if hasFinding(doc, "script-not-found", "", "") {
					t.Errorf("a symlinked script is reported missing: %v", findingsOf(doc))
				}
				if noteAbout(doc, "svc/ecosystem.config.js", "svc/server.js", "symbolic link") == nil {
					t.Errorf("no note says the script is a symlink not followed: %+v", doc.Notes)
				}
			},
		},
		{
			name: "submodule",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"vendor/deploy": changetest.Gitlink("0123456789abcdef0123456789abcdef01234567")}),
			check: func(t *testing.T, doc *audit.Document) {
				if n := noteAbout(doc, "vendor/deploy", "submodule"); n == nil || n.Kind != audit.NoteSkipped {
					t.Errorf("no skipped note for the submodule: %+v", doc.Notes)
				}
			},
		},
		{
			name: "handshake only in node_modules",
			base: healthy,
			head: healthyHead.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(waitReadyConf), "svc/server.js": changetest.Text(silentServer),
				"svc/node_modules/lib/index.js": changetest.Text(readyServer)}),
			check: func(t *testing.T, doc *audit.Document) {
				if !hasFinding(doc, "wait-ready-without-handshake", audit.Introduced, "svc/ecosystem.config.js") {
					t.Errorf("process.send('ready') in node_modules counted as the service's handshake: %v", findingsOf(doc))
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := auditChange(t, tc.base, tc.head)
			restAudited(t, doc)
			tc.check(t, doc)
		})
	}
}

// TestConfigLifecycle protects the classification of findings when the
// config file itself is deleted or renamed, or when only its service's
// source changes.
func TestConfigLifecycle(t *testing.T) {
	svc := changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text(waitReadyConf)}

	t.Run("deleted config: its findings are fixed and the file is gone", func(t *testing.T) {
		doc := auditChange(t, svc, svc.With(nil, "svc/ecosystem.config.js"))
		f := findFinding(doc, "wait-ready-without-handshake", "svc/ecosystem.config.js")
		if f == nil || f.State != audit.Fixed || f.LineChange != "removed" || f.Line != 5 {
			t.Fatalf("finding %+v, want fixed at line 5, removed", f)
		}
		if len(doc.Ecosystems) != 1 || doc.Ecosystems[0].Status != "deleted" || doc.Ecosystems[0].Head != nil || doc.Ecosystems[0].Base == nil {
			t.Errorf("ecosystems %+v, want one deleted file with a base and no head", doc.Ecosystems)
		}
		// Not approved: its app keeps running until deleted
		// (ecosystem-file-deleted, issue 8).
		if doc.Summary.Verdict != "warn" || doc.Summary.Fixed != 1 || !hasFinding(doc, "ecosystem-file-deleted", audit.Introduced, "svc/ecosystem.config.js") {
			t.Errorf("summary %+v, findings %v", doc.Summary, findingsOf(doc))
		}
	})

	t.Run("renamed .js to .cjs: findings carry over as unchanged", func(t *testing.T) {
		head := svc.With(changetest.Tree{"svc/ecosystem.config.cjs": svc["svc/ecosystem.config.js"]}, "svc/ecosystem.config.js")
		doc := auditChange(t, svc, head)
		if len(doc.Findings) != 1 {
			t.Fatalf("findings %v, want one unchanged wait-ready-without-handshake", findingsOf(doc))
		}
		f := doc.Findings[0]
		if f.Rule != "wait-ready-without-handshake" || f.State != audit.Persisting || f.Path != "svc/ecosystem.config.cjs" {
			t.Errorf("finding %v", findingsOf(doc))
		}
		if len(doc.Ecosystems) != 1 {
			t.Fatalf("ecosystems %+v, want the renamed file once", doc.Ecosystems)
		}
		e := doc.Ecosystems[0]
		if e.Path != "svc/ecosystem.config.cjs" || e.Status != "renamed" || e.Base == nil || e.Head == nil {
			t.Errorf("ecosystem %+v", e)
		}
		for _, c := range e.Changes {
			if c.Change != audit.Unchanged {
				t.Errorf("option %s %s across a pure rename", c.Key, c.Change)
			}
		}
	})

	t.Run("renamed and edited: the removed option fixes the finding", func(t *testing.T) {
		edited := strings.Replace(waitReadyConf, "    wait_ready: true,\n", "", 1) + "// moved to .cjs\n"
		head := svc.With(changetest.Tree{"svc/ecosystem.config.cjs": changetest.Text(edited)}, "svc/ecosystem.config.js")
		doc := auditChange(t, svc, head)
		f := findFinding(doc, "wait-ready-without-handshake", "")
		if f == nil || f.State != audit.Fixed || f.Path != "svc/ecosystem.config.js" || f.LineChange != "removed" {
			t.Errorf("finding %+v, want fixed at the old path, line removed", f)
		}
	})

	t.Run("source adds the handshake: the finding is fixed", func(t *testing.T) {
		doc := auditChange(t, svc, svc.With(changetest.Tree{"svc/server.js": changetest.Text(readyServer)}))
		if !doc.Impact {
			t.Fatal("a change to the service's source has no impact")
		}
		f := findFinding(doc, "wait-ready-without-handshake", "svc/ecosystem.config.js")
		if f == nil || f.State != audit.Fixed {
			t.Errorf("finding %+v, want fixed", f)
		}
		if len(doc.Ecosystems) != 1 || doc.Ecosystems[0].Status != "unchanged" {
			t.Errorf("ecosystems %+v, want the unchanged config", doc.Ecosystems)
		}
	})

	t.Run("a change touching only a doc has no impact", func(t *testing.T) {
		doc := auditChange(t, svc.With(changetest.Tree{"README.md": changetest.Text("# api\n")}), svc.With(changetest.Tree{"README.md": changetest.Text("# api\n\nwait_ready: true\n")}))
		if doc.Impact || doc.Summary.Verdict != "none" || len(doc.Findings) != 0 {
			t.Errorf("impact %v verdict %s findings %v", doc.Impact, doc.Summary.Verdict, findingsOf(doc))
		}
		if len(doc.Changed) != 1 || doc.Changed[0].Kind != audit.KindDoc {
			t.Errorf("changed %+v", doc.Changed)
		}
	})
}

// TestNotConfigs protects discovery: files that are not ecosystem files
// are never reported as ones, broken or not.
func TestNotConfigs(t *testing.T) {
	base := changetest.Tree{"README.md": changetest.Text("x\n")}
	head := changetest.Tree{
		"README.md":          changetest.Text("y\n"),
		"package.json":       changetest.Text(`{"name": "x", "scripts": {"start": "node server.js"}}`),
		"tsconfig.json":      changetest.Text(`{"compilerOptions": {"strict": true}}`),
		"docker-compose.yml": changetest.Text("services:\n  api:\n    image: node\n    command: node server.js\n"),
		".eslintrc.json":     changetest.Text(`{"extends": "eslint:recommended"`),
		"vite.config.js":     changetest.Text("export default { server: { port: 3000 } ;\n"),
		"renovate.json":      changetest.Text(`{"extends": ["config:base"`),
		"jest.config.js":     changetest.Text("module.exports = {"),
		"app/process.yml":    changetest.Text("not: [valid"),
		// Candidates by name, but another tool's broken files.
		"etl/processors.json":  changetest.Text(`{"steps": [`),
		"etl/process-map.json": changetest.Text(`{"a": 1,,}`),
		// Named like PM2's own: a broken one is reported.
		"tools/process.config.js": changetest.Text("export default {\n"),
	}
	doc := auditChange(t, base, head)
	for _, f := range doc.Findings {
		if f.Path != "tools/process.config.js" {
			t.Errorf("finding about a file that is no ecosystem file: %s %s", f.Rule, f.Path)
		}
	}
	for _, e := range doc.Ecosystems {
		if e.Path != "tools/process.config.js" {
			t.Errorf("%s listed as an ecosystem file", e.Path)
		}
	}

	t.Run("broken files meant as ecosystem files are reported", func(t *testing.T) {
		doc := auditChange(t, base, changetest.Tree{
			"README.md":               changetest.Text("y\n"),
			"deploy/pm2.json":         changetest.Text(`{"apps": [`),
			"svc/processes.json":      changetest.Text(`{"apps": [{"name": "a", "script": "a.js",}`),
			"svc/process.yml":         changetest.Text("apps:\n  - script: a.js\n    name: [\n"),
			"web/ecosystem.prod.json": changetest.Text(`{`),
			"web/apps.json":           changetest.Text(`[`),
			"etl/process-map.json":    changetest.Text(`{"a": 1,,}`),
		})
		got := map[string]bool{}
		for _, f := range doc.Findings {
			if f.Rule == "config-parse-error" {
				got[f.Path] = true
			}
		}
		for _, p := range []string{"deploy/pm2.json", "svc/processes.json", "web/ecosystem.prod.json"} {
			if !got[p] {
				t.Errorf("%s: no config-parse-error (found %v)", p, findingsOf(doc))
			}
		}
		if got["etl/process-map.json"] {
			t.Error("etl/process-map.json reported as a broken ecosystem file")
		}
	})
}

// TestRanges protects RANGE semantics through the public RunRange.
func TestRanges(t *testing.T) {
	f := changetest.NewFixture(t)
	root := f.Commit("root", changetest.Tree{"svc/server.js": changetest.Text(silentServer)})
	base := f.Commit("config", changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text(waitReadyConf)}, root)
	// main moves on with an unrelated change; feature fixes the handshake.
	mainTip := f.Commit("docs", changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text(waitReadyConf), "README.md": changetest.Text("x\n")}, base)
	feature := f.Commit("handshake", changetest.Tree{"svc/server.js": changetest.Text(readyServer), "svc/ecosystem.config.js": changetest.Text(waitReadyConf)}, base)
	f.Ref("refs/heads/main", mainTip)
	f.Ref("refs/heads/feature", feature)
	ctx := context.Background()

	t.Run("A...B audits from the merge base", func(t *testing.T) {
		doc, err := audit.RunRange(ctx, f.Repo(), "main...feature", audit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Base.SHA != base.String() || doc.Head.SHA != feature.String() {
			t.Errorf("base %s head %s, want merge base %s and %s", doc.Base.Short, doc.Head.Short, base, feature)
		}
		if !hasFinding(doc, "wait-ready-without-handshake", audit.Fixed, "") || len(doc.Changed) != 1 {
			t.Errorf("findings %v changed %+v", findingsOf(doc), doc.Changed)
		}
	})
	t.Run("A..B compares the two tips", func(t *testing.T) {
		doc, err := audit.RunRange(ctx, f.Repo(), "main..feature", audit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Base.SHA != mainTip.String() || len(doc.Changed) != 2 {
			t.Errorf("base %s changed %+v, want main's tip and two files", doc.Base.Short, doc.Changed)
		}
	})
	t.Run("single revision R is R^..R", func(t *testing.T) {
		doc, err := audit.RunRange(ctx, f.Repo(), base.String()[:10], audit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Base.SHA != root.String() || doc.Head.SHA != base.String() {
			t.Errorf("base %s head %s", doc.Base.Short, doc.Head.Short)
		}
		if !hasFinding(doc, "wait-ready-without-handshake", audit.Introduced, "svc/ecosystem.config.js") {
			t.Errorf("findings %v", findingsOf(doc))
		}
	})
	t.Run("root commit against the empty tree", func(t *testing.T) {
		doc, err := audit.RunRange(ctx, f.Repo(), root.String(), audit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !doc.Base.Empty || doc.Impact {
			t.Errorf("base %+v impact %v", doc.Base, doc.Impact)
		}
	})
	for _, spec := range []string{"nope", "main..nope", "nope...feature", "0123456789abcdef0123456789abcdef01234567"} {
		t.Run("unknown revision "+spec, func(t *testing.T) {
			_, err := audit.RunRange(ctx, f.Repo(), spec, audit.Options{})
			if !errors.Is(err, change.ErrUnknownRevision) || !errors.Is(err, audit.ErrRevision) {
				t.Errorf("error %v, want one wrapping change.ErrUnknownRevision", err)
			}
		})
	}
}

// TestDeterministic protects byte-identical output: the same repository
// audited twice, and the same content built twice, give the same JSON.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"broken-config", "secrets", "absolute-cwd"} {
		t.Run(name, func(t *testing.T) {
			repo := buildRepo(t, name)
			var first []byte
			for i := range 3 {
				doc, err := audit.RunRange(context.Background(), repo, "", audit.Options{Version: "test"})
				if err != nil {
					t.Fatal(err)
				}
				got := encode(t, doc)
				if i == 0 {
					first = got
				} else if string(got) != string(first) {
					t.Fatalf("run %d differs:\n%s", i, firstDiff(string(first), string(got)))
				}
			}
			doc, err := audit.RunRange(context.Background(), buildRepo(t, name), "", audit.Options{Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if got := encode(t, doc); string(got) != string(first) {
				t.Fatalf("rebuilt repository differs:\n%s", firstDiff(string(first), string(got)))
			}
		})
	}
	// The seed's service is scanned by several workers in parallel.
	t.Run("demo", func(t *testing.T) {
		repo, err := demo.Build(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		var first []byte
		for i := range 3 {
			doc, err := audit.RunRange(context.Background(), repo, "", audit.Options{Scan: scan.Options{Workers: 4}})
			if err != nil {
				t.Fatal(err)
			}
			got := encode(t, doc)
			if i == 0 {
				first = got
			} else if string(got) != string(first) {
				t.Fatalf("run %d differs:\n%s", i, firstDiff(string(first), string(got)))
			}
		}
	})
}

// TestDynamicNotes protects notes about values kept as dynamic: each is
// said once (not once per revision), with its path and line, and a file
// gone at head still says what its base could not resolve.
func TestDynamicNotes(t *testing.T) {
	conf := "const x = require('./x');\nmodule.exports = {\n  apps: [{\n    name: 'api',\n    script: process.env.SCRIPT,\n    node_args: x.args(),\n  }],\n};\n"
	base := changetest.Tree{"ecosystem.config.js": changetest.Text(conf)}

	t.Run("modified file", func(t *testing.T) {
		doc := auditChange(t, base, changetest.Tree{"ecosystem.config.js": changetest.Text(conf + "// edited\n")})
		if len(doc.Notes) != 2 {
			t.Fatalf("notes %+v, want two", doc.Notes)
		}
		for i, want := range []struct {
			line int
			text string
		}{{5, "process.env.SCRIPT"}, {6, "x.args()"}} {
			n := doc.Notes[i]
			if n.Kind != audit.NoteDynamic || n.Path != "ecosystem.config.js" || n.Line != want.line || !strings.Contains(englishNote(&n), want.text) {
				t.Errorf("note %d: %+v, want dynamic at ecosystem.config.js:%d about %s", i, n, want.line, want.text)
			}
		}
	})
	t.Run("deleted file", func(t *testing.T) {
		doc := auditChange(t, base.With(changetest.Tree{"README.md": changetest.Text("x\n")}), changetest.Tree{"README.md": changetest.Text("x\n")})
		if len(doc.Notes) != 2 || !strings.Contains(englishNote(&doc.Notes[0]), "base revision") {
			t.Errorf("notes %+v, want two about the base revision", doc.Notes)
		}
	})
}
