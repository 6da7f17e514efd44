package audit_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
	"github.com/auditbot/auditbot/report"
)

// markdown renders the document's report in lang.
func markdown(t *testing.T, doc *audit.Document, lang string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Markdown(&buf, doc, report.Options{Lang: lang, Now: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestIncompleteVerdict protects issue 8's "no false comfort": an
// involved ecosystem file whose apps at head could not be read (a symbolic
// link, a submodule, over the size limit, binary, beyond a parser limit)
// makes the verdict incomplete, the file says why, and no report says
// approved. Its base findings are not claimed fixed.
func TestIncompleteVerdict(t *testing.T) {
	svc := changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text(waitReadyConf)}
	huge := "module.exports = {apps: [{name: 'api', script: 'server.js', env: {PAD: '" + strings.Repeat("x", 2<<20) + "'}}]};\n"
	wide := "module.exports = {apps: [{name: 'api', script: 'server.js', env: [" + strings.Repeat("1,", 20000) + "1]}]};\n"
	for _, tc := range []struct {
		name, reason string
		head         changetest.Tree
	}{
		{"symlink", "symlink", svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Link("../shared/ecosystem.config.js")})},
		{"submodule", "submodule", svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Gitlink("0123456789abcdef0123456789abcdef01234567")})},
		{"over the size limit", "size", svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(huge)})},
		{"beyond a parser limit", "limit", svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(wide)})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := auditChange(t, svc, tc.head)
			if doc.Summary.Verdict != "incomplete" {
				t.Errorf("verdict %q, want incomplete (findings %v)", doc.Summary.Verdict, findingsOf(doc))
			}
			if doc.Summary.Unaudited != 1 {
				t.Errorf("summary.unaudited = %d, want 1", doc.Summary.Unaudited)
			}
			var eco *audit.Ecosystem
			for i := range doc.Ecosystems {
				if doc.Ecosystems[i].Path == "svc/ecosystem.config.js" {
					eco = &doc.Ecosystems[i]
				}
			}
			if eco == nil {
				t.Fatalf("the file is not listed among the ecosystems: %+v", doc.Ecosystems)
			}
			if eco.Unaudited != tc.reason {
				t.Errorf("unaudited = %q, want %q", eco.Unaudited, tc.reason)
			}
			for _, c := range eco.Changes {
				if c.Change == "removed" || c.Change == "added" {
					t.Errorf("option %s %s: the file at head was not read", c.Key, c.Change)
				}
			}
			for _, f := range doc.Findings {
				if f.State == audit.Fixed {
					t.Errorf("%s claimed fixed although the file at head was not read", f.Rule)
				}
				if f.Rule == "config-parse-error" {
					t.Errorf("config-parse-error (PM2 cannot load it) for a file PM2 loads: %s", messageIn(t, f, "en"))
				}
			}
			for _, lang := range []string{"es", "en"} {
				md := markdown(t, doc, lang)
				if strings.Contains(md, "APROBADO") || strings.Contains(md, "APPROVED") || strings.Contains(md, "✅ **Aprobado") || strings.Contains(md, "✅ **Approved") {
					t.Errorf("%s report approves an audit that did not read the file:\n%s", lang, md[:min(len(md), 600)])
				}
			}
		})
	}
}

// A Latin-1 config loads in Node: it is decoded (Latin-1 fallback) and
// audited, with a note, instead of "PM2 will not start any of its apps".
func TestLatin1Config(t *testing.T) {
	svc := changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'server.js' }] };\n")}
	head := svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text("// configuraci\xf3n de producci\xf3n\nmodule.exports = { apps: [{ name: 'api', script: 'server.js', wait_ready: true }] };\n")})
	doc := auditChange(t, svc, head)
	if hasFinding(doc, "config-parse-error", "", "svc/ecosystem.config.js") {
		t.Fatalf("a Latin-1 config is reported unreadable: %v", findingsOf(doc))
	}
	if !hasFinding(doc, "wait-ready-without-handshake", audit.Introduced, "svc/ecosystem.config.js") {
		t.Errorf("the Latin-1 config's apps were not audited: %v", findingsOf(doc))
	}
	if noteAbout(doc, "svc/ecosystem.config.js", "not UTF-8", "Latin-1") == nil {
		t.Errorf("no note says the file was decoded as Latin-1: %+v", doc.Notes)
	}
}

// A config with a syntax error at head is not a revision with zero apps:
// no option is "removed", the title and the objective do not announce the
// removal of name, script and wait_ready.
func TestSyntaxErrorIsNotRemoval(t *testing.T) {
	svc := changetest.Tree{"svc/server.js": changetest.Text(silentServer), "svc/ecosystem.config.js": changetest.Text(waitReadyConf)}
	head := svc.With(changetest.Tree{"svc/ecosystem.config.js": changetest.Text(strings.Replace(waitReadyConf, "wait_ready: true,", "wait_ready: true,,,", 1))})
	doc := auditChange(t, svc, head)
	if !hasFinding(doc, "config-parse-error", audit.Introduced, "svc/ecosystem.config.js") {
		t.Fatalf("no config-parse-error: %v", findingsOf(doc))
	}
	for _, e := range doc.Ecosystems {
		for _, c := range e.Changes {
			if c.Change == "removed" || c.Change == "added" {
				t.Errorf("option %s of %s %s across a syntax error", c.Key, c.App, c.Change)
			}
		}
	}
	if doc.Summary.Verdict == "pass" || doc.Summary.Verdict == "warn" {
		t.Errorf("verdict %s", doc.Summary.Verdict)
	}
	es, en := markdown(t, doc, "es"), markdown(t, doc, "en")
	for _, bad := range []string{"Eliminación de", "Eliminar de la configuración", "`name`: `'api'`"} {
		if strings.Contains(es, bad) {
			t.Errorf("the Spanish report says %q about a file that does not parse", bad)
		}
	}
	for _, bad := range []string{"Removal of", "Remove from the PM2 configuration", "`name`: `'api'`"} {
		if strings.Contains(en, bad) {
			t.Errorf("the English report says %q about a file that does not parse", bad)
		}
	}
}
