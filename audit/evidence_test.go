package audit_test

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// shopAPI is apps/api/server.js: it listens on 3000, sends the ready
// handshake at line 17 and handles SIGINT.
const shopAPI = `const http = require('http');
const routes = require('./routes');

const PORT = process.env.PORT || 3000;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.end('ok');
    return;
  }
  routes(req, res);
});

server.listen(PORT, () => {
  console.log('api listening');
  // PM2 waits for this with wait_ready.
  process.send('ready');
});

process.on('SIGINT', () => server.close(() => process.exit(0)));
`

// shopWorker is apps/worker/server.js: it listens on 3100, never sends
// the handshake, and handles only SIGTERM, which PM2 does not send.
const shopWorker = `const http = require('http');
const { drain } = require('./lib/queue');

const PORT = process.env.WORKER_PORT || 3100;

const server = http.createServer((req, res) => {
  if (req.url === '/worker/health') return res.end('ok');
  res.end('worker');
});

server.listen(PORT);

process.on('SIGTERM', () => {
  drain().then(() => server.close(() => process.exit(0)));
});
`

// shopRepo is the most common layout: a root package.json, apps in
// subfolders, one ecosystem file at the root with no cwd.
func shopRepo(workerOpts string) changetest.Tree {
	return changetest.Tree{
		"package.json":              changetest.Text(`{"name": "shop", "scripts": {"start": "pm2 start ecosystem.config.js"}}` + "\n"),
		"apps/api/server.js":        changetest.Text(shopAPI),
		"apps/api/routes/index.js":  changetest.Text("module.exports = (req, res) => res.end('api');\n"),
		"apps/worker/server.js":     changetest.Text(shopWorker),
		"apps/worker/lib/queue.js":  changetest.Text("exports.drain = async () => {};\n"),
		"apps/worker/lib/unused.js": changetest.Text("process.send('ready');\n"),
		"ecosystem.config.js": changetest.Text(`module.exports = {
  apps: [
    {
      name: 'shop-api',
      script: './apps/api/server.js',
      wait_ready: true,
      listen_timeout: 10000,
    },
    {
      name: 'shop-worker',
      script: './apps/worker/server.js',
` + workerOpts + `    },
  ],
};
`),
	}
}

func serviceOf(doc *audit.Document, app string) *audit.Service {
	for i := range doc.Services {
		if doc.Services[i].App == app {
			return &doc.Services[i]
		}
	}
	return nil
}

func findingFor(doc *audit.Document, rule, app string) *audit.Finding {
	for i := range doc.Findings {
		if doc.Findings[i].Rule == rule && doc.Findings[i].App == app {
			return &doc.Findings[i]
		}
	}
	return nil
}

// TestEvidenceByModuleGraph: with apps in subfolders of one package and no
// cwd, each app's evidence is the code its entry script reaches, not the
// package's: the worker is not credited with the api's handshake, its
// missing handshake (fixed by the change) and its SIGTERM-only handler are
// reported, and its port is its own.
func TestEvidenceByModuleGraph(t *testing.T) {
	base := shopRepo("      wait_ready: true,\n")
	head := shopRepo("      kill_timeout: 10000,\n")
	doc := auditChange(t, base, head)

	worker := serviceOf(doc, "shop-worker")
	api := serviceOf(doc, "shop-api")
	if worker == nil || api == nil {
		t.Fatalf("services %+v", doc.Services)
	}
	for _, e := range worker.Evidence {
		if strings.HasPrefix(e.Path, "apps/api/") || e.Path == "apps/worker/lib/unused.js" {
			t.Errorf("worker credited with evidence its entry never loads: %+v", e)
		}
		if e.Kind == "listen" || e.Kind == "port-default" {
			if e.Kind == "port-default" && e.Detail != "3100" {
				t.Errorf("worker port evidence %+v, want 3100", e)
			}
		}
	}
	hasPort := false
	for _, e := range worker.Evidence {
		if e.Kind == "port-default" && e.Detail == "3100" {
			hasPort = true
		}
	}
	if !hasPort {
		t.Errorf("worker evidence has no port 3100: %+v", worker.Evidence)
	}
	for _, e := range api.Evidence {
		if strings.HasPrefix(e.Path, "apps/worker/") {
			t.Errorf("api credited with the worker's evidence: %+v", e)
		}
	}
	handshake := false
	for _, e := range api.Evidence {
		if e.Kind == "ready-handshake" && e.Path == "apps/api/server.js" && e.Line == 17 {
			handshake = true
		}
	}
	if !handshake {
		t.Errorf("api evidence lacks its handshake at apps/api/server.js:17: %+v", api.Evidence)
	}
	if f := findingFor(doc, "wait-ready-without-handshake", "shop-worker"); f == nil || f.State != audit.Fixed {
		t.Errorf("worker's missing handshake at base: want wait-ready-without-handshake fixed, findings %v", findingsOf(doc))
	}
	if f := findingFor(doc, "wait-ready-without-handshake", "shop-api"); f != nil {
		t.Errorf("api sends ready, yet %+v", f)
	}
	// The change adds kill_timeout for a handler PM2 never triggers: the
	// finding is the change's, and is said once.
	if f := findingFor(doc, "kill-signal-not-handled", "shop-worker"); f == nil || f.State != audit.Introduced || f.Option != "kill_timeout" {
		t.Errorf("worker handles only SIGTERM: want kill-signal-not-handled introduced on kill_timeout, findings %v", findingsOf(doc))
	}
	n := 0
	for _, f := range doc.Findings {
		if f.Rule == "kill-signal-not-handled" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("kill-signal-not-handled %d times, want once: %v", n, findingsOf(doc))
	}
	if f := findingFor(doc, "kill-signal-not-handled", "shop-api"); f != nil {
		t.Errorf("api handles SIGINT, yet %+v", f)
	}
}

// TestNonEntryFileAuditedOnlyWhenReached: a change to a file of the
// package that no app's entry script loads (a seed script) is not a
// change to any app; one to a module an entry loads is.
func TestNonEntryFileAuditedOnlyWhenReached(t *testing.T) {
	base := shopRepo("      wait_ready: true,\n").With(changetest.Tree{
		"scripts/seed.js": changetest.Text("const db = require('../apps/worker/lib/queue');\nprocess.on('SIGTERM', () => {});\n"),
	})
	seed := auditChange(t, base, base.With(changetest.Tree{
		"scripts/seed.js": changetest.Text("const db = require('../apps/worker/lib/queue');\nprocess.on('SIGINT', () => {});\n"),
	}))
	if seed.Impact || len(seed.Ecosystems) != 0 {
		t.Errorf("seed script change: impact %v, ecosystems %+v; want no PM2 impact", seed.Impact, seed.Ecosystems)
	}
	for _, c := range seed.Changed {
		if c.Kind == audit.KindSource {
			t.Errorf("seed script listed as a service's source: %+v", c)
		}
	}
	queue := auditChange(t, base, base.With(changetest.Tree{
		"apps/worker/lib/queue.js": changetest.Text("exports.drain = async () => { await flush(); };\n"),
	}))
	if !queue.Impact || len(queue.Ecosystems) != 1 {
		t.Fatalf("worker module change: impact %v, ecosystems %+v; want the root ecosystem file audited", queue.Impact, queue.Ecosystems)
	}
	for _, c := range queue.Changed {
		if c.Path == "apps/worker/lib/queue.js" && c.Kind != audit.KindSource {
			t.Errorf("worker module listed as %q, want source", c.Kind)
		}
	}
}

// srcLayout: the config in src/ names its script from the repository
// root (src/server.js), as PM2 finds it when started from the root.
func srcLayout(extra changetest.Tree) changetest.Tree {
	t := changetest.Tree{
		"src/server.js":           changetest.Text("require('http').createServer().listen(3000);\nprocess.on('SIGINT', () => process.exit(0));\n"),
		"src/ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'src/server.js', kill_timeout: 3000 }] };\n"),
	}
	return t.With(extra)
}

// TestScriptNotFoundCwdUnknown: without cwd, PM2 resolves the script
// from the shell's directory. When nothing in the repository says where
// pm2 is started, a script missing from the config's directory but found
// from the root is a warning naming both; when package.json or a
// Dockerfile (WORKDIR + pm2-runtime) starts it from the root, there is
// nothing to report; when the known directory lacks it, it is an error.
func TestScriptNotFoundCwdUnknown(t *testing.T) {
	change := func(base changetest.Tree) *audit.Document {
		head := base.With(changetest.Tree{"src/ecosystem.config.js": changetest.Text(
			"module.exports = { apps: [{ name: 'api', script: 'src/server.js', kill_timeout: 5000 }] };\n")})
		return auditChange(t, base, head)
	}
	unknown := change(srcLayout(nil))
	f := findingFor(unknown, "script-not-found", "api")
	if f == nil || f.Severity != "warning" || !strings.Contains(messageIn(t, *f, "en"), "src/src/server.js") || !strings.Contains(messageIn(t, *f, "en"), "src/server.js exists") {
		t.Errorf("cwd unknown: want a warning naming both resolutions, got %+v", f)
	}
	if s := serviceOf(unknown, "api"); s == nil || len(s.Evidence) == 0 {
		t.Errorf("cwd unknown: the script found from the root is read: %+v", s)
	}
	fromRoot := change(srcLayout(changetest.Tree{
		"package.json": changetest.Text(`{"name": "api", "scripts": {"start": "pm2 start src/ecosystem.config.js"}}`),
	}))
	if f := findingFor(fromRoot, "script-not-found", "api"); f != nil {
		t.Errorf("package.json starts pm2 from the root, where src/server.js exists: %+v", f)
	}
	docker := change(srcLayout(changetest.Tree{
		"Dockerfile": changetest.Text("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"pm2-runtime\", \"start\", \"src/ecosystem.config.js\"]\n"),
	}))
	if f := findingFor(docker, "script-not-found", "api"); f != nil {
		t.Errorf("the Dockerfile starts pm2-runtime in WORKDIR /app, the repository root: %+v", f)
	}
	wrong := change(srcLayout(changetest.Tree{
		"Dockerfile": changetest.Text("FROM node:20\nWORKDIR /app\nCOPY . .\nWORKDIR /app/src\nCMD pm2-runtime start ecosystem.config.js\n"),
	}))
	if f := findingFor(wrong, "script-not-found", "api"); f == nil || f.Severity != "error" {
		t.Errorf("the Dockerfile starts pm2-runtime in src/, where src/src/server.js is missing: want the error, got %+v", f)
	}
}

// guardedRepo: the handshake is sent only when NODE_ENV is 'production',
// and the repository sets NODE_ENV as given in the config's env block
// and the Dockerfile.
func guardedRepo(configEnv, dockerEnv string) changetest.Tree {
	t := changetest.Tree{
		"server.js": changetest.Text("const server = require('http').createServer();\nserver.listen(3000, () => {\n" +
			"  if (process.env.NODE_ENV === 'production') process.send?.('ready');\n});\n"),
		"ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'server.js', wait_ready: true" +
			configEnv + " }] };\n"),
	}
	if dockerEnv != "" {
		t["Dockerfile"] = changetest.Text("FROM node:20\nENV NODE_ENV=" + dockerEnv + "\nWORKDIR /app\nCOPY . .\nCMD [\"pm2-runtime\", \"ecosystem.config.js\"]\n")
	}
	return t
}

// TestGuardedHandshake: a handshake behind an env comparison counts only
// when every value the repository sets makes it fire; when none does it
// is no handshake (wait-ready-without-handshake); otherwise it is
// undecided (a warning), never a plain ✅.
func TestGuardedHandshake(t *testing.T) {
	for _, c := range []struct {
		name, configEnv, dockerEnv string
		want                       string // the wait_ready finding, "" for none
	}{
		{"never fires", ", env: { NODE_ENV: 'PRODUCTION' }", "PRODUCTION", "wait-ready-without-handshake"},
		{"always fires", ", env: { NODE_ENV: 'production' }", "production", ""},
		{"mixed", ", env: { NODE_ENV: 'production' }, env_staging: { NODE_ENV: 'staging' }", "", "wait-ready-handshake-undecided"},
		{"not set", "", "", "wait-ready-handshake-undecided"},
	} {
		base := guardedRepo(c.configEnv, c.dockerEnv)
		head := base.With(changetest.Tree{"server.js": changetest.Text(string(base["server.js"].Content) + "// touched\n")})
		doc := auditChange(t, base, head)
		got := ""
		for _, f := range doc.Findings {
			if strings.HasPrefix(f.Rule, "wait-ready") {
				got = f.Rule
			}
		}
		if got != c.want {
			t.Errorf("%s: wait_ready finding %q, want %q (%v)", c.name, got, c.want, findingsOf(doc))
		}
		s := serviceOf(doc, "api")
		guarded := false
		for _, e := range s.Evidence {
			if e.Kind == "ready-handshake" && e.Guard == "process.env.NODE_ENV === 'production'" && e.GuardLine == 3 {
				guarded = true
			}
		}
		if !guarded {
			t.Errorf("%s: the handshake's evidence does not carry its guard: %+v", c.name, s.Evidence)
		}
	}
}
