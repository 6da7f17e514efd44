package audit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/scan"
)

// TestAuditNeverLoadsABigSourceFile protects issue 9 item 4 end to end, as
// the CLI runs it: a pull request that adds a 64 MB source file beside the
// service it changes is audited without the file being inflated (its size
// comes from the object header), and the document says which file was not
// read and why.
func TestAuditNeverLoadsABigSourceFile(t *testing.T) {
	const bigSize = 64 << 20
	dir := t.TempDir()
	changetest.Git(t, dir, "init", "-q", "-b", "main")
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("server.js", readyServer)
	write("ecosystem.config.js", "module.exports = { apps: [{ name: 'api', script: 'server.js' }] };\n")
	changetest.Git(t, dir, "add", ".")
	changetest.Git(t, dir, "commit", "-q", "-m", "base")
	write("ecosystem.config.js", waitReadyConf)
	line := []byte("module.exports.data = '0123456789abcdef0123456789abcdef0123456789';\n")
	write("bundle.js", string(bytes.Repeat(line, bigSize/len(line)+1)))
	changetest.Git(t, dir, "add", ".")
	changetest.Git(t, dir, "commit", "-q", "-m", "head")
	changetest.Git(t, dir, "repack", "-adq")
	changetest.Git(t, dir, "prune-packed")

	var doc *audit.Document
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	repo, _, err := change.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err = audit.RunRange(t.Context(), repo, "HEAD~1..HEAD", audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > bigSize/4 {
		t.Fatalf("the audit allocated %d MB: the %d MB bundle.js was inflated", n>>20, bigSize>>20)
	}
	found := false
	for _, n := range doc.Notes {
		if n.Kind == audit.NoteLimit && n.Path == "bundle.js" && n.Says != nil && n.Says.ID == audit.NoteSourceTooLarge {
			found = true
		}
	}
	if !found {
		t.Errorf("no note says bundle.js was not read for its size: %+v", doc.Notes)
	}
	if scan.DefaultMaxFileSize >= bigSize {
		t.Fatal("the scan limit is no longer below the test's file size")
	}
}
