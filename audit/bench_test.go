package audit_test

import (
	"context"
	"io/fs"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/benchrepo"
	"github.com/auditbot/auditbot/audit/change"
)

// BenchmarkReport audits the last commit of a generated monorepo (30000
// files, 300 commits, a service of 3000 JavaScript files). WalkHead
// measures the part of it spent listing the head tree for ecosystem
// candidates (tree objects only, no blob).
func BenchmarkReport(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git CLI needed to generate the repository")
	}
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "repo")
	if _, _, err := benchrepo.Generate(ctx, dir, benchrepo.DefaultConfig()); err != nil {
		b.Fatal(err)
	}
	b.Run("Report", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			repo, _, err := change.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			doc, err := audit.RunRange(ctx, repo, "HEAD~1..HEAD", audit.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if !doc.Impact || len(doc.Findings) == 0 {
				b.Fatalf("impact %v, %d findings", doc.Impact, len(doc.Findings))
			}
		}
	})
	b.Run("WalkHead", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			repo, _, err := change.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			head, err := repo.Head()
			if err != nil {
				b.Fatal(err)
			}
			c, err := repo.CommitObject(head.Hash())
			if err != nil {
				b.Fatal(err)
			}
			snap, err := change.NewSnapshot(repo, c)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			if err := fs.WalkDir(snap, ".", func(p string, d fs.DirEntry, err error) error {
				n++
				return err
			}); err != nil {
				b.Fatal(err)
			}
			if n < 30000 {
				b.Fatalf("walked %d entries", n)
			}
		}
	})
}
