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

// TestAppPM2Spread: an object spread known only at run time may set any
// option the app does not write after it: those are unknown, not
// PM2's defaults.
func TestAppPM2Spread(t *testing.T) {
	src := `module.exports = { apps: [
  { ...defaults(), name: 'api', script: 'index.js', instances: 2 },
  { name: 'web', script: 'index.js', instances: 2, ...defaults() },
  { name: 'cron', script: 'index.js', instances: 2, exec_mode: 'fork' },
]};
`
	f, err := Parse(context.Background(), "ecosystem.config.js", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	api := f.Apps[0].PM2(pm2.Host{})
	if !api.Script.Known || !api.Instances.Known || api.Instances.Value != 2 || api.Mode.Known {
		t.Errorf("api: script %+v, instances %+v, mode %+v; want script and instances known, the mode not (exec_mode may be in the spread)", api.Script, api.Instances, api.Mode)
	}
	web := f.Apps[1].PM2(pm2.Host{})
	if web.Script.Known || web.Instances.Known || web.Mode.Known {
		t.Errorf("web: script %+v, instances %+v, mode %+v; want all unknown (the spread comes last)", web.Script, web.Instances, web.Mode)
	}
	if cron := f.Apps[2].PM2(pm2.Host{}); !cron.Mode.Known || cron.Mode.Value != pm2.Fork {
		t.Errorf("cron: mode %+v, want fork, known", cron.Mode)
	}
}
