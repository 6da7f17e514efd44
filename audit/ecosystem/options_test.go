package ecosystem

import (
	"context"
	"testing"

	"github.com/auditbot/auditbot/audit/pm2"
)

// TestAppPM2 resolves apps parsed from a file: aliases folded the way PM2
// folds them, values computed at run time unknown, not defaults.
func TestAppPM2(t *testing.T) {
	src := `const os = require('os');
module.exports = { apps: [
  { name: 'api', exec: 'server.js', interpreterArgs: '--inspect', instances: 'max' },
  { name: 'web', script: 'npm run start', exec_mode: 'cluster_mode', instances: '2' },
  { name: 'jobs', script: 'jobs.py', interpreter: 'python3', exec_interpreter: '', instances: os.cpus().length },
  { name: 'cron', script: './cron.sh', waitReady: true, wait_ready: false },
]};
`
	f, err := Parse(context.Background(), "ecosystem.config.js", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		script, interp string
		mode           pm2.Resolved[pm2.Mode]
		inst           int
		instKnown      bool
	}
	for i, w := range []want{
		{"server.js", "node", pm2.Resolved[pm2.Mode]{Value: pm2.Cluster, Known: true}, 0, true},
		{"npm run start", "none", pm2.Resolved[pm2.Mode]{Value: pm2.Cluster, Set: true, Known: true, Source: "'cluster_mode'"}, 2, true},
		{"jobs.py", "python3", pm2.Resolved[pm2.Mode]{}, 0, false},
		{"./cron.sh", "bash", pm2.Resolved[pm2.Mode]{Value: pm2.Fork, Known: true}, 1, true},
	} {
		a := f.Apps[i].PM2(pm2.Host{})
		if a.Script.Value != w.script || a.Interpreter.Value != w.interp || a.Mode != w.mode ||
			a.Instances.Value != w.inst || a.Instances.Known != w.instKnown {
			t.Errorf("app %d: script %+v, interpreter %+v, mode %+v, instances %+v; want %+v", i, a.Script, a.Interpreter, a.Mode, a.Instances, w)
		}
	}
	if na, ok := f.Apps[0].Option("node_args"); !ok || na.Key != "interpreterArgs" {
		t.Errorf("Option(node_args) = %+v, %v; want the interpreterArgs field", na, ok)
	}
	if wr, ok := f.Apps[3].Option("wait_ready"); !ok || wr.Key != "waitReady" || !wr.Value.Bool {
		t.Errorf("Option(wait_ready) = %+v; want waitReady: true, which PM2 reads when wait_ready is falsy", wr)
	}
}
