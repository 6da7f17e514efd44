package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// waitReadyHandshakeUndecided: wait_ready: true and the code has no
// handshake the scan can verify, but calls process.send with a message
// decided at run time (scan.PossibleHandshake: process.send(msg),
// process.send(getMessage()), an alias assigned more than one way). It may
// be the 'ready' PM2 waits for (docs/pm2-behaviour.md#wait-ready-message) or not; auditbot cannot tell
// from the source, so instead of wait-ready-without-handshake's error it
// says what it found and how to check it.
type waitReadyHandshakeUndecided struct{}

func (waitReadyHandshakeUndecided) Meta() Meta {
	return Meta{ID: "wait-ready-handshake-undecided", Severity: Warning, Behaviours: []string{"wait-ready-message", "wait-ready-timeout"},
		Docs: docsSignals}
}

func (r waitReadyHandshakeUndecided) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := setTrue(a.App, "wait_ready")
		if !ok {
			continue
		}
		// Through a package manager no message reaches PM2, whatever it
		// is: wait-ready-without-handshake reports the app.
		if scanOf(a) == nil || len(handshakes(a)) > 0 || a.PM2.PackageManager() != "" {
			continue
		}
		possible := implementation(a, scan.PossibleHandshake)
		_, guarded := guardedHandshakes(a)
		if len(possible) == 0 && len(guarded) == 0 {
			continue
		}
		if len(possible) == 0 {
			// process.send('ready') behind a condition auditbot cannot
			// decide: it may never run.
			timeout, set := timeoutOption(a, "listen_timeout", pm2.DefaultListenTimeout) // docs/pm2-behaviour.md#wait-ready-timeout
			fd := newFinding(r.Meta(), a, f.Line, "wait_ready", "", message.Args{
				"possible": message.CountOf(len(guarded)), "first": message.At(guarded[0].Path, guarded[0].Line),
				"arg": message.CodeOf("'ready'"), "guard": message.CodeOf(guarded[0].Guard),
				"guard_at":       message.At(guarded[0].Path, guarded[0].GuardLine),
				"listen_timeout": message.MillisOf(float64(timeout)), "listen_timeout_set": message.BoolOf(set),
			}, cite(a.App, "wait_ready", "listen_timeout")...)
			fd.About = About{Subject: HandshakeUndecided, ListenTimeoutMS: float64(timeout), Variant: "guarded"}
			fd.Evidence = append(fd.Evidence, guarded...)
			out = append(out, fd)
			continue
		}
		arg := possible[0].Detail
		if arg == scan.DynamicDetail || arg == "" {
			arg = "…"
		}
		timeout, set := timeoutOption(a, "listen_timeout", pm2.DefaultListenTimeout) // docs/pm2-behaviour.md#wait-ready-timeout
		fd := newFinding(r.Meta(), a, f.Line, "wait_ready", "", message.Args{
			"possible":           message.CountOf(len(possible)),
			"first":              message.At(possible[0].Path, possible[0].Line),
			"arg":                message.CodeOf(arg),
			"listen_timeout":     message.MillisOf(float64(timeout)),
			"listen_timeout_set": message.BoolOf(set),
		}, cite(a.App, "wait_ready", "listen_timeout")...)
		fd.About = About{Subject: HandshakeUndecided, ListenTimeoutMS: float64(timeout)}
		fd.Evidence = append(fd.Evidence, possible...)
		out = append(out, fd)
	}
	return out
}
