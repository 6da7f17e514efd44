package audit_test

import (
	"io/fs"
	"os/exec"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/benchrepo"
	"github.com/auditbot/auditbot/audit/change"
)

// BenchmarkReport audits the last commit of the large generated repository
// (benchrepo.DefaultConfig: 30000 files, 300 commits, a service of 3000
// JavaScript files whose ecosystem file drops wait_ready), the case whose
// figures the README gives; cmd/auditbench compares it with git. Report is
// the whole audit; WalkHead the part of it that lists the head tree for
// ecosystem candidates (tree objects only, no blob). Generation takes a
// few seconds, once per run.
func BenchmarkReport(b *testing.B) {
	cfg := benchrepo.DefaultConfig()
	cfg.NoCheckout = true
	dir, spec := benchRepo(b, cfg)
	b.Run("Report", func(b *testing.B) { benchReport(b, dir, spec) })
	b.Run("WalkHead", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			repo, _, err := change.Open(b.Context(), dir)
			if err != nil {
				b.Fatal(err)
			}
			r, err := change.Resolve(b.Context(), repo, spec)
			if err != nil {
				b.Fatal(err)
			}
			snap, err := change.NewSnapshot(repo, r.Head)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			err = snap.WalkFiles(b.Context(), ".", nil, func(string, string, fs.FileMode) error {
				n++
				return nil
			}, func(_ string, err error) error { return err })
			if err != nil {
				b.Fatal(err)
			}
			if n < cfg.Files {
				b.Fatalf("walked %d files, want %d or more", n, cfg.Files)
			}
		}
	})
}

// BenchmarkReportSmall is BenchmarkReport's Report on a tenth of the
// repository, quick enough for every `go test -bench .`.
func BenchmarkReportSmall(b *testing.B) {
	dir, spec := benchRepo(b, benchrepo.Config{Files: 3000, Commits: 30, ServiceFiles: 300, NoCheckout: true})
	benchReport(b, dir, spec)
}

// benchRepo generates a repository for cfg and returns it with the range
// audited.
func benchRepo(b *testing.B, cfg benchrepo.Config) (dir, spec string) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed: cannot generate the benchmark repository")
	}
	dir = b.TempDir()
	base, head, err := benchrepo.Generate(b.Context(), dir, cfg)
	if err != nil {
		b.Fatal(err)
	}
	return dir, base + ".." + head
}

func benchReport(b *testing.B, dir, spec string) {
	var scanned int
	b.ReportAllocs()
	for b.Loop() {
		// Open is part of the work: every `auditbot report` opens the
		// repository afresh, with cold caches.
		repo, _, err := change.Open(b.Context(), dir)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := audit.RunRange(b.Context(), repo, spec, audit.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !doc.Impact || len(doc.Services) == 0 || len(doc.Findings) == 0 {
			b.Fatalf("the change to %s was not audited: %+v", benchrepo.ServiceDir, doc.Summary)
		}
		scanned = doc.Services[0].Scanned
	}
	b.ReportMetric(float64(scanned), "files/op")
}
