package audit_test

import (
	"os/exec"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/benchrepo"
	"github.com/auditbot/auditbot/audit/change"
)

// BenchmarkReport audits the last commit of the large generated repository
// (benchrepo.DefaultConfig: 30000 files, 300 commits, a service of 3000
// JavaScript files whose ecosystem file drops wait_ready), the case whose
// figures the README gives. Generation takes a few seconds, once per run.
func BenchmarkReport(b *testing.B) {
	cfg := benchrepo.DefaultConfig()
	cfg.NoCheckout = true
	benchReport(b, cfg)
}

// BenchmarkReportSmall is BenchmarkReport on a tenth of the repository,
// quick enough for every `go test -bench .`.
func BenchmarkReportSmall(b *testing.B) {
	benchReport(b, benchrepo.Config{Files: 3000, Commits: 30, ServiceFiles: 300, NoCheckout: true})
}

func benchReport(b *testing.B, cfg benchrepo.Config) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed: cannot generate the benchmark repository")
	}
	dir := b.TempDir()
	base, head, err := benchrepo.Generate(b.Context(), dir, cfg)
	if err != nil {
		b.Fatal(err)
	}
	spec := base + ".." + head
	var scanned int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// Open is part of the work: every `auditbot report` opens the
		// repository afresh, with cold go-git caches.
		repo, _, err := change.Open(b.Context(), dir)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := audit.RunRange(b.Context(), repo, spec, audit.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !doc.Impact || len(doc.Services) == 0 {
			b.Fatalf("the change to %s was not audited: %+v", benchrepo.ServiceDir, doc.Summary)
		}
		scanned = doc.Services[0].Scanned
	}
	b.ReportMetric(float64(scanned), "files/op")
}
