package report

import (
	"maps"
	"testing"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/rule"
)

// testMessage is a complete message of a finding of rule on app, as the
// engine writes it, for documents the tests build by hand; over replaces
// or adds arguments.
func testMessage(rule, app string, over message.Args) message.Message {
	var args message.Args
	switch rule {
	case "wait-ready-without-handshake":
		args = message.Args{"listen_timeout": message.MillisOf(3000), "listen_timeout_set": message.BoolOf(false),
			"instances": message.CountOf(1), "total_ms": message.MillisOf(3000), "cluster": message.BoolOf(false),
			"dir": message.CodeOf("."), "files": message.CountOf(1), "doc_mentions": message.CountOf(0),
			"code_mentions": message.CountOf(0), "truncated": message.BoolOf(false)}
	case "kill-signal-not-handled":
		args = message.Args{"handled": message.CodesOf([]string{"SIGTERM"}), "kill_timeout": message.MillisOf(1600),
			"kill_timeout_set": message.BoolOf(false), "with_message": message.BoolOf(false),
			"sigterm_only": message.BoolOf(true), "expected": message.CodeOf("SIGINT")}
	case "node-args-non-node-interpreter":
		args = message.Args{"key": message.OptionOf("node_args"), "args": message.CodeOf("'--max-old-space-size=256'"),
			"interpreter": message.CodeOf("bash"), "script": message.CodeOf("run.sh"), "via_shell": message.BoolOf(false),
			"effect": message.CodeOf("crash"), "variant": message.CodeOf("crash")}
	default:
		args = message.Args{}
	}
	args["app"] = message.CodeOf(app)
	maps.Copy(args, over)
	return message.Message{ID: rule, Args: args}
}

// viewIn phrases a finding in lang, failing the test when it cannot.
func viewIn(t testing.TB, f audit.Finding, lang string) findingView {
	t.Helper()
	c, err := loadCatalog(lang)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.viewFinding(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// testAbout is what the rule of a hand-built finding declares about it.
func testAbout(id string) rule.About {
	switch id {
	case "wait-ready-without-handshake":
		return rule.About{Subject: rule.HandshakeAbsent, ListenTimeoutMS: 3000}
	case "handshake-without-wait-ready":
		return rule.About{Subject: rule.HandshakeIgnored}
	case "kill-signal-not-handled":
		return rule.About{Subject: rule.KillSignalNotHandled}
	case "twin-config-drift":
		return rule.About{Subject: rule.TwinDrift}
	case "node-args-non-node-interpreter":
		return rule.About{Subject: rule.NodeArgsRejected, Variant: "crash"}
	}
	return rule.About{}
}
