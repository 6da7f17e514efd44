package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"regexp"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// waitReadyWithoutHandshake: wait_ready: true while the service's code
// never sends process.send('ready') (docs/pm2-behaviour.md#wait-ready-timeout). Every start then
// blocks listen_timeout per instance, serially, and the app is marked
// online anyway. When the service was not scanned nothing is claimed;
// when the code calls process.send with a message decided at run time
// (scan.PossibleHandshake) nothing is claimed either, and
// wait-ready-handshake-undecided says so. A handshake found only in tests,
// or cluster.worker.send('ready') in an app PM2 runs in fork mode, does
// not count, and the message says it was seen.
type waitReadyWithoutHandshake struct{}

func (waitReadyWithoutHandshake) Meta() Meta {
	return Meta{ID: "wait-ready-without-handshake", Severity: Error, Behaviours: []string{"wait-ready-message", "wait-ready-timeout", "cluster-worker-ready"},
		Docs: docsSignals, Proof: proofDir("wait-ready-without-handshake")}
}

func (r waitReadyWithoutHandshake) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := setTrue(a.App, "wait_ready")
		if !ok {
			continue
		}
		res := scanOf(a)
		if res == nil || len(handshakes(a)) > 0 {
			continue
		}
		// A message decided at run time may be 'ready'
		// (wait-ready-handshake-undecided), except through a package
		// manager, where no message reaches PM2 at all.
		never, undecided := guardedHandshakes(a)
		if (len(implementation(a, scan.PossibleHandshake)) > 0 || len(undecided) > 0) && a.PM2.PackageManager() == "" {
			continue
		}
		timeout, set := timeoutOption(a, "listen_timeout", pm2.DefaultListenTimeout) // docs/pm2-behaviour.md#wait-ready-timeout
		instances, _ := instancesOf(a)
		cluster, _ := clusterMode(a)
		var ev []scan.Evidence
		docs, mentions, unbound := 0, 0, 0
		for _, e := range res.Evidence {
			switch {
			case e.Kind == scan.ReadyMention && e.Detail == scan.MentionUnbound && e.Context == scan.InCode:
				ev = append(ev, e)
				unbound++
			case readyRelated(e):
				ev = append(ev, e)
				mentions++
			}
		}
		for _, e := range res.Docs {
			if readyRelated(e) {
				ev = append(ev, e)
				docs++
			}
		}
		// cluster.worker.send('ready') reaches PM2 only in cluster mode
		// (docs/pm2-behaviour.md#implicit-cluster-mode); handshakes() already counted it there.
		var workers []scan.Evidence
		if !cluster {
			workers = implementation(a, scan.WorkerHandshake)
		}
		tests := append(onlyInTests(a, scan.Handshake), onlyInTests(a, scan.WorkerHandshake)...)
		ev = append(append(ev, workers...), tests...)
		total := 0
		if instances > 0 {
			total = instances * timeout
		}
		args := message.Args{
			"listen_timeout":     message.MillisOf(float64(timeout)),
			"listen_timeout_set": message.BoolOf(set),
			"instances":          message.CountOf(instances),
			"total_ms":           message.MillisOf(float64(total)),
			"cluster":            message.BoolOf(cluster),
			"dir":                message.CodeOf(res.Dir),
			"files":              message.CountOf(res.Files),
			"doc_mentions":       message.CountOf(docs),
			"code_mentions":      message.CountOf(mentions),
			"truncated":          message.BoolOf(res.Truncated),
		}
		// Optional counts, present only when not zero (the catalogs read
		// them with index): most findings have none, and the document
		// stays as it was for them.
		// The remediation shows the handshake in the app's own listen
		// call (server.listen, app.listen...), not a generic one.
		if call := listenCall(a); call != "" {
			args["listen_call"] = message.CodeOf(call)
		}
		setCount(args, "unbound_sends", unbound)
		setCount(args, "worker_sends", len(workers))
		setCount(args, "test_handshakes", len(tests))
		if len(never) > 0 {
			args["guard_never"] = message.CodeOf(never[0].Guard)
			args["guard_at"] = message.At(never[0].Path, never[0].GuardLine)
		}
		fd := newFinding(r.Meta(), a, f.Line, "wait_ready", "", args, cite(a.App, "wait_ready", "listen_timeout")...)
		fd.About = About{Subject: HandshakeAbsent, ListenTimeoutMS: float64(timeout)}
		fd.Evidence = append(fd.Evidence, ev...)
		fd.Evidence = append(fd.Evidence, never...)
		out = append(out, fd)
	}
	return out
}

// readyRelated reports whether evidence is about the ready handshake
// without being one PM2 receives: a ready mention (an object, a string
// that is not exactly 'ready', another object's send, an unbound
// process.send, a comment), or a mention of wait_ready, listen_timeout or
// process.send in comments or documentation. Evidence from tests is not
// included (see onlyInTests).
func readyRelated(e scan.Evidence) bool {
	if e.Context == scan.InTest {
		return false
	}
	switch e.Kind {
	case scan.ReadyMention:
		return true
	case scan.Handshake:
		return e.Context != scan.InCode
	case scan.OptionMention:
		switch e.Detail {
		case "wait_ready", "waitReady", "listen_timeout", "listenTimeout", "process.send", "ready":
			return true
		}
	}
	return false
}

// listenCallRe finds the callee of a listen call in a line of code:
// "server.listen", "app.listen", "this.http.listen".
var listenCallRe = regexp.MustCompile(`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.listen\s*\(`)

// listenCall is the callee of the app's first listen() call in its code
// ("server.listen"), "" when the scan found none or it cannot be read.
func listenCall(a *App) string {
	for _, e := range implementation(a, scan.Listen) {
		if m := listenCallRe.FindStringSubmatch(e.Text); m != nil {
			return m[1] + ".listen"
		}
	}
	return ""
}
