package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
)

// nodeArgsNonNodeInterpreter: node_args (alias interpreter_args,
// interpreterArgs) in fork mode with an interpreter that is not Node
// (docs/pm2-behaviour.md#interpreter-by-extension, docs/pm2-behaviour.md#node-args-to-interpreter). PM2 hands the flags to whatever the interpreter is:
// bash or python reject them and the app crash-loops to errored. With
// interpreter 'none' (a binary, or a script with spaces that PM2 runs
// through `bash -c`) the flags are silently ignored: they never reach
// node. Cluster mode is fine: node_args become the workers' execArgv.
// Flags written for the interpreter itself (python's -u) are what the
// option is for: the crash is claimed only when a Node or V8 flag is
// among them (pm2.IsNodeFlag).
type nodeArgsNonNodeInterpreter struct{}

func (nodeArgsNonNodeInterpreter) Meta() Meta {
	return Meta{ID: "node-args-non-node-interpreter", Severity: Error, Behaviours: []string{"node-args-to-interpreter", "interpreter-by-extension"},
		Docs: docsDeclaration, Proof: proofDir("node-args-non-node-interpreter")}
}

func (r nodeArgsNonNodeInterpreter) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := option(a.App, "node_args")
		if !ok || !nonEmptyArgs(f.Value) {
			continue
		}
		if cluster, known := clusterMode(a); cluster || !known {
			continue
		}
		interp, known := interpreterOf(a)
		if !known || pm2.IsNode(interp) {
			continue
		}
		effect := "crash"
		if interp == "none" {
			effect = "ignored"
		} else if !hasNodeFlag(f.Value) {
			// `interpreter: 'python3', interpreter_args: '-u'`: flags
			// written for that interpreter, which is what the option
			// is for.
			continue
		}
		fd := newFinding(r.Meta(), a, f.Line, "node_args", "", message.Args{
			"key":         message.OptionOf(f.Key),
			"args":        message.CodeOf(display(f.Value)),
			"interpreter": message.CodeOf(interp),
			"script":      message.CodeOf(scriptOf(a)),
			"via_shell":   message.BoolOf(viaShell(a)),
			"effect":      message.CodeOf(effect),
		}, cite(a.App, "node_args", "exec_interpreter", "script")...)
		// The report's texts differ: a crash loop, or flags ignored.
		fd.About = About{Subject: NodeArgsRejected, Variant: effect}
		if effect == "ignored" {
			fd.About.Subject = NodeArgsIgnored
		}
		out = append(out, fd)
	}
	return out
}

// nonEmptyArgs reports whether an args-like value (string or array)
// statically carries at least one argument.
func nonEmptyArgs(v ecosystem.Value) bool {
	switch v.Kind {
	case ecosystem.KindString:
		return strings.TrimSpace(v.Str) != ""
	case ecosystem.KindArray:
		return len(v.Items) > 0
	}
	return false
}

// hasNodeFlag reports whether an args-like value statically carries a
// node or V8 option (a string is split on white space, as PM2 does).
func hasNodeFlag(v ecosystem.Value) bool {
	for _, s := range argStrings(v) {
		for _, arg := range strings.Fields(s) {
			if pm2.IsNodeFlag(arg) {
				return true
			}
		}
	}
	return false
}
