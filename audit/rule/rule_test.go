package rule

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

var update = flag.Bool("update", false, "rewrite docs/pm2-behaviour.md")

// TestRegistry: ids are unique, kebab-case, sorted; metadata is complete.
func TestRegistry(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	rules := All()
	for i, r := range rules {
		m := r.Meta()
		if !kebab.MatchString(m.ID) {
			t.Errorf("id %q is not kebab-case", m.ID)
		}
		if i > 0 && rules[i-1].Meta().ID >= m.ID {
			t.Errorf("All() not sorted or duplicate at %s", m.ID)
		}
		if m.Severity.Rank() == 0 {
			t.Errorf("%s: severity %q", m.ID, m.Severity)
		}
		if len(m.Behaviours) == 0 {
			t.Errorf("%s: cites no PM2 behaviour", m.ID)
		}
		for _, id := range m.Behaviours {
			if _, ok := pm2.LookupBehaviour(id); !ok {
				t.Errorf("%s: behaviour %q is not in pm2.Behaviours (docs/pm2-behaviour.md)", m.ID, id)
			}
		}
		if !strings.HasPrefix(m.Docs, "https://pm2.keymetrics.io/docs/usage/") {
			t.Errorf("%s: docs %q", m.ID, m.Docs)
		}
		if m.Proof != "" && m.Proof != "audit/proof/testdata/"+m.ID {
			t.Errorf("%s: proof %q", m.ID, m.Proof)
		}
		if got, ok := Lookup(m.ID); !ok || got.Meta().ID != m.ID {
			t.Errorf("Lookup(%q) failed", m.ID)
		}
	}
	if _, ok := Lookup("no-such-rule"); ok {
		t.Error("Lookup of an unknown id succeeded")
	}
	// All returns a fresh slice: changing it does not change the registry.
	rules[0] = nil
	if All()[0] == nil {
		t.Error("All() shares its slice")
	}
}

// TestSeed is the hand-written audit's case: wait_ready + listen_timeout +
// kill_timeout, code with SIGINT and SIGTERM handlers and no handshake, a
// documentation mention. Only wait-ready-without-handshake fires (with
// wait_ready, listen_timeout has an effect; SIGINT is handled), plus the
// informational heap note the seed's own table implies (1G limit, 2048 MiB
// heap).
func TestSeed(t *testing.T) {
	seed := file(cfg, app("session-manager", 3,
		kv("name", 4, str("session-manager")), kv("script", 5, str("index.js")),
		kv("cwd", 6, str("/root/leadmaster-workspace/services/session-manager")),
		kv("instances", 8, num(1)), kv("exec_mode", 9, str("fork")),
		kv("env", 11, obj(kv("NODE_ENV", 12, str("production")), kv("PORT", 13, num(3001)))),
		kv("max_restarts", 17, num(10)), kv("min_uptime", 18, str("10s")), kv("max_memory_restart", 19, str("1G")),
		kv("kill_timeout", 60, num(10000)), kv("wait_ready", 61, boolean(true)), kv("listen_timeout", 62, num(10000)),
		kv("node_args", 70, str("--max-old-space-size=2048"))))
	s := svc("svc", "index.js", portDefault, listen3001, sigint, sigterm,
		ev(scan.Close, scan.InCode, "svc/index.js", 33, ""))
	s.Scan.Docs = []scan.Evidence{ev(scan.OptionMention, scan.InDoc, "svc/docs/INIT_ENDPOINT_REPORT.md", 728, "wait_ready")}
	in := input(mapFS(map[string]string{"svc/start-with-xvfb.sh": "chmod +x start-with-xvfb.sh\n", "svc/index.js": ""}),
		files(seed), svcs{"session-manager": s})
	got := Check(in)
	want := []string{
		w("helper-script-unreferenced", cfg, 1, "", "svc/start-with-xvfb.sh"),
		w("wait-ready-without-handshake", cfg, 61, "session-manager", ""),
	}
	if g := describe(got); !slices.Equal(g, want) {
		t.Fatalf("seed findings:\n got %q\nwant %q", g, want)
	}
	f := got[1]
	if !f.Args["listen_timeout"].Equal(message.MillisOf(10000)) || !f.Args["doc_mentions"].Equal(message.CountOf(1)) {
		t.Errorf("wait-ready args = %v", f.Args)
	}
	var cited []string
	for _, e := range f.Evidence {
		cited = append(cited, fmt.Sprintf("%s:%d %s", e.Path, e.Line, e.Context))
	}
	wantCited := []string{cfg + ":61 code", cfg + ":62 code", "svc/docs/INIT_ENDPOINT_REPORT.md:728 doc"}
	if !slices.Equal(cited, wantCited) {
		t.Errorf("wait-ready evidence = %q, want %q", cited, wantCited)
	}
	if !f.Args["app"].Equal(message.CodeOf("session-manager")) || !f.Args["listen_timeout_set"].Equal(message.BoolOf(true)) {
		t.Errorf("wait-ready args = %v", f.Args)
	}
	// After the change (wait_ready and listen_timeout removed), the finding is gone.
	seed.Apps[0].Fields = slices.DeleteFunc(seed.Apps[0].Fields, func(f fieldT) bool {
		return f.Key == "wait_ready" || f.Key == "listen_timeout"
	})
	for _, f := range Check(in) {
		if f.Rule == "wait-ready-without-handshake" || f.Rule == "listen-timeout-without-effect" || f.Rule == "kill-signal-not-handled" {
			t.Errorf("after the change: unexpected %s", describe([]Finding{f}))
		}
	}
}

// TestWaitReadyArgs: the message's numbers follow docs/pm2-behaviour.md#wait-ready-timeout (0 means 3000,
// instances wait serially).
func TestWaitReadyArgs(t *testing.T) {
	in := input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 4, boolean(true)), kv("listen_timeout", 5, num(0)),
		kv("instances", 6, num(2))))), svcs{"api": svc("svc", "index.js")})
	got := Lookup1(t, "wait-ready-without-handshake").Check(in)
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	if !got[0].Args["listen_timeout"].Equal(message.MillisOf(3000)) || !got[0].Args["total_ms"].Equal(message.MillisOf(6000)) ||
		!got[0].Args["listen_timeout_set"].Equal(message.BoolOf(false)) || !got[0].Args["instances"].Equal(message.CountOf(2)) {
		t.Errorf("args = %v, want listen_timeout 3000 (the default) and total 6000 for 2 instances", got[0].Args)
	}
}

// TestHandshakeMessages: what the scan saw but does not count is an
// argument of the finding, which the messages say (report/rules.yaml); an
// undecided handshake is reported as such, never as missing.
func TestHandshakeMessages(t *testing.T) {
	unbound := ev(scan.ReadyMention, scan.InCode, "svc/index.js", 9, scan.MentionUnbound)
	sigintTest := ev(scan.SignalHandler, scan.InTest, "svc/test/stop.test.js", 5, "SIGINT")
	for _, c := range []struct {
		rule string
		in   *Input
		want message.Args
	}{
		{"wait-ready-without-handshake", waitReady(svc("svc", "index.js", testHandshake)),
			message.Args{"test_handshakes": message.CountOf(1)}},
		{"wait-ready-without-handshake", waitReady(svc("svc", "index.js", workerHandshake, workerHandshake)),
			message.Args{"worker_sends": message.CountOf(2)}},
		{"wait-ready-without-handshake", waitReady(svc("svc", "index.js", unbound)),
			message.Args{"unbound_sends": message.CountOf(1)}},
		{"wait-ready-handshake-undecided", waitReady(svc("svc", "index.js", possible)),
			message.Args{"first": message.At("svc/ipc.js", 8), "arg": message.CodeOf("msg"), "possible": message.CountOf(1)}},
		{"wait-ready-handshake-undecided", waitReady(svc("svc", "index.js",
			ev(scan.PossibleHandshake, scan.InCode, "svc/a.js", 3, scan.DynamicDetail), possible)),
			message.Args{"first": message.At("svc/a.js", 3), "arg": message.CodeOf("…"), "possible": message.CountOf(2)}},
		{"handshake-without-wait-ready", input(nil, files(file(cfg, app("api", 3, kv("exec_mode", 4, str("cluster"))))), svcs{"api": svc("svc", "index.js", workerHandshake)}),
			message.Args{"worker_sends": message.CountOf(1)}},
		{"kill-signal-not-handled", input(nil, files(file(cfg, app("api", 3))), svcs{"api": svc("svc", "index.js", sigterm, sigintTest)}),
			message.Args{"only_in_tests": message.CountOf(1)}},
	} {
		got := Lookup1(t, c.rule).Check(c.in)
		if len(got) != 1 {
			t.Fatalf("%s: %d findings, want 1", c.rule, len(got))
		}
		for k, v := range c.want {
			if !reflect.DeepEqual(got[0].Args[k], v) {
				t.Errorf("%s: argument %s = %v, want %v", c.rule, k, got[0].Args[k], v)
			}
		}
	}
}

// TestInvalidOptionMessages: PM2's exact WARN lines (docs/pm2-behaviour.md#invalid-values-abort).
func TestInvalidOptionMessages(t *testing.T) {
	in := input(nil, files(file(cfg, app("api", 3,
		kv("wait_ready", 4, str("true")), kv("max_memory_restart", 5, str("1.5G")), kv("min_uptime", 6, num(50)),
		kv("exec_mode", 7, str("Cluster")), kv("env", 8, num(5))))), nil)
	want := []string{
		`[PM2][WARN] Expect "wait_ready" to be a typeof [object Boolean], but now is [object String]`,
		`[PM2][WARN] Verify "max_memory_restart" with regex failed, it should be a NUMBER - byte, "[NUMBER]G"(Gigabyte), "[NUMBER]M"(Megabyte) or "[NUMBER]K"(Kilobyte)`,
		`[PM2][WARN] The minimum of "min_uptime" is 100, but now is 50`,
		`[PM2][WARN] Verify "exec_mode" with regex failed, it should be "cluster"("cluster_mode") or "fork"("fork_mode") only`,
		`[PM2][WARN] Expect "env" to be a typeof [object Object] / [object String], but now is [object Number]`,
	}
	got := Lookup1(t, "invalid-option-value").Check(in)
	var msgs []string
	for _, f := range got {
		msgs = append(msgs, f.Args["pm2_message"].Str)
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("messages:\n got %q\nwant %q", msgs, want)
	}
}

// TestUnknownOptionSuggestions: the closest option is suggested.
func TestUnknownOptionSuggestions(t *testing.T) {
	in := input(nil, files(file(cfg, app("api", 3, kv("max_memory", 4, num(1)), kv("wait_redy", 5, boolean(true)),
		kv("ready_timeout", 6, num(1)), kv("foo_bar_baz_qux", 7, num(1)), kv("killTimout", 8, num(1))))), nil)
	want := map[string]string{"max_memory": "max_memory_restart", "wait_redy": "wait_ready",
		"ready_timeout": "listen_timeout", "foo_bar_baz_qux": "", "killTimout": "kill_timeout"}
	for _, f := range Lookup1(t, "unknown-option").Check(in) {
		if got := f.Args["suggestion"].Str; got != want[f.Key] {
			t.Errorf("%s: suggestion %q, want %q", f.Key, got, want[f.Key])
		}
	}
}

// TestCheckOrder: Check runs every rule and orders by path, line, rule.
func TestCheckOrder(t *testing.T) {
	in := input(nil, files(
		file("b/ecosystem.config.js", app("b", 3, kv("kill_signal", 4, str("SIGTERM")), kv("max_memory", 4, num(1)), kv("script", 5, str("b.js")))),
		file("a/ecosystem.js", app("a", 3, kv("wait_ready", 9, str("true")), kv("script", 10, str("a.js"))))), nil)
	want := []string{
		w("ecosystem-not-loadable", "a/ecosystem.js", 1, "", ""),
		w("invalid-option-value", "a/ecosystem.js", 9, "a", "wait_ready"),
		w("kill-signal-option", "b/ecosystem.config.js", 4, "b", "kill_signal"),
		w("unknown-option", "b/ecosystem.config.js", 4, "b", "max_memory"),
	}
	if g := describe(Check(in)); !slices.Equal(g, want) {
		t.Errorf("Check:\n got %q\nwant %q", g, want)
	}
	if Check(nil) != nil {
		t.Error("Check(nil) found something")
	}
}

// TestDocsUpToDate: docs/pm2-behaviour.md is generated from
// pm2.Behaviours and must match (docs/rules.md is the report's:
// report.TestRulesDocUpToDate).
func TestDocsUpToDate(t *testing.T) {
	var bb bytes.Buffer
	if err := WriteBehaviourMarkdown(&bb); err != nil {
		t.Fatal(err)
	}
	const bp = "../../docs/pm2-behaviour.md"
	if *update {
		if err := os.WriteFile(bp, bb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if old, err := os.ReadFile(bp); err != nil || !bytes.Equal(old, bb.Bytes()) {
		t.Errorf("docs/pm2-behaviour.md is out of date: run `go test ./audit/rule -run TestDocsUpToDate -update`")
	}
}

// Lookup1 is Lookup that fails the test.
func Lookup1(t *testing.T, id string) Rule {
	t.Helper()
	r, ok := Lookup(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	return r
}

// TestSeedTwins is the seed's whole situation: the same service configured
// by ecosystem.config.js and ecosystem.config.cjs, both with wait_ready and
// listen_timeout (10000 / 15000), different kill_timeout and node_args. At
// the base revision both files get wait-ready-without-handshake and the
// twin drift; after the change that removes wait_ready and listen_timeout
// from both, wait-ready-without-handshake is gone from both while the
// drift (kill_timeout, node_args) remains.
func TestSeedTwins(t *testing.T) {
	const cjs = "svc/ecosystem.config.cjs"
	build := func(withWaitReady bool) *Input {
		js := []fieldT{kv("script", 5, str("index.js")), kv("exec_mode", 9, str("fork")), kv("kill_timeout", 60, num(10000)),
			kv("node_args", 70, str("--max-old-space-size=2048"))}
		c := []fieldT{kv("script", 5, str("index.js")), kv("exec_mode", 9, str("fork")), kv("kill_timeout", 49, num(30000)),
			kv("node_args", 60, str("--max-old-space-size=1536 --experimental-modules"))}
		if withWaitReady {
			js = append(js, kv("wait_ready", 61, boolean(true)), kv("listen_timeout", 62, num(10000)))
			c = append(c, kv("wait_ready", 50, boolean(true)), kv("listen_timeout", 51, num(15000)))
		}
		s := svc("svc", "index.js", listen3001, sigint, sigterm)
		s.Scan.Docs = []scan.Evidence{ev(scan.OptionMention, scan.InDoc, "svc/docs/INIT_ENDPOINT_REPORT.md", 728, "wait_ready")}
		return input(nil, files(file(cfg, app("session-manager", 3, js...)), file(cjs, app("session-manager", 3, c...))),
			svcs{"session-manager": s})
	}
	base := describe(Check(build(true)))
	wantBase := []string{
		w("twin-config-drift", cjs, 3, "session-manager", cfg),
		w("wait-ready-without-handshake", cjs, 50, "session-manager", ""),
		w("twin-config-drift", cfg, 3, "session-manager", cjs),
		w("wait-ready-without-handshake", cfg, 61, "session-manager", ""),
	}
	if !slices.Equal(base, wantBase) {
		t.Errorf("base:\n got %q\nwant %q", base, wantBase)
	}
	head := describe(Check(build(false)))
	wantHead := []string{
		w("twin-config-drift", cjs, 3, "session-manager", cfg),
		w("twin-config-drift", cfg, 3, "session-manager", cjs),
	}
	if !slices.Equal(head, wantHead) {
		t.Errorf("head:\n got %q\nwant %q", head, wantHead)
	}
	// The drift table at base lists exactly the keys that differ.
	for _, f := range Check(build(true)) {
		if f.Rule != "twin-config-drift" || f.Path != cfg {
			continue
		}
		var keys []string
		for _, d := range f.Args["diffs"].Items {
			keys = append(keys, d.Fields["key"].Str)
		}
		if want := []string{"kill_timeout", "listen_timeout", "node_args"}; !slices.Equal(keys, want) {
			t.Errorf("drift keys %q, want %q", keys, want)
		}
	}
}
