package rule

import "github.com/auditbot/auditbot/audit/message"

// listenTimeoutWithoutEffect: listen_timeout without wait_ready in fork
// mode does nothing at all (docs/pm2-behaviour.md#listen-timeout). In cluster mode without
// wait_ready it still bounds the wait for 'listening' on `pm2 reload`,
// so no finding is made there.
type listenTimeoutWithoutEffect struct{}

func (listenTimeoutWithoutEffect) Meta() Meta {
	return Meta{ID: "listen-timeout-without-effect", Severity: Warning, Behaviours: []string{"listen-timeout", "fork-reload-is-restart"},
		Docs: docsDeclaration, Proof: proofDir("listen-timeout-without-effect")}
}

func (r listenTimeoutWithoutEffect) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := option(a.App, "listen_timeout")
		if !ok || isFalsy(f.Value) { // a falsy value is dropped: falsy-option-ignored says so
			continue
		}
		if wr, known := optionTrue(a.App, "wait_ready"); wr || !known {
			continue
		}
		cluster, known := clusterMode(a)
		if cluster || !known {
			continue
		}
		out = append(out, newFinding(r.Meta(), a, f.Line, "listen_timeout", "", message.Args{
			"value": message.CodeOf(display(f.Value)),
		}, f))
	}
	return out
}
