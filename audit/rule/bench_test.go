package rule

import (
	"fmt"
	"testing"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/scan"
)

// BenchmarkCheck runs every rule over 50 ecosystem files of 20 apps each,
// every app with a scanned service.
func BenchmarkCheck(b *testing.B) {
	var fs []*ecosystem.File
	services := svcs{}
	for i := range 50 {
		var apps []ecosystem.App
		for j := range 20 {
			name := fmt.Sprintf("app-%d-%d", i, j)
			apps = append(apps, app(name, 3+j*20, kv("script", 4+j*20, str("index.js")), kv("wait_ready", 5+j*20, boolean(true)),
				kv("listen_timeout", 6+j*20, num(5000)), kv("kill_timeout", 7+j*20, num(3000)), kv("max_memory", 8+j*20, str("1G")),
				kv("node_args", 9+j*20, str("--max-old-space-size=512")), kv("max_memory_restart", 10+j*20, str("1G")),
				kv("env", 11+j*20, obj(kv("PORT", 12+j*20, num(3000)), kv("NODE_ENV", 13+j*20, str("production"))))))
			services[name] = svc(fmt.Sprintf("svc%d", i), "index.js", sigterm, listen3001,
				ev(scan.OptionMention, scan.InComment, "svc/index.js", 3, "wait_ready"))
		}
		fs = append(fs, file(fmt.Sprintf("svc%d/ecosystem.config.js", i), apps...))
	}
	in := input(nil, fs, services)
	b.ReportAllocs()
	for b.Loop() {
		if len(Check(in)) == 0 {
			b.Fatal("no findings")
		}
	}
}
