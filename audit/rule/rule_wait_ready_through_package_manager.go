package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// waitReadyThroughPackageManager: wait_ready: true on an app started
// through a package manager (`script: 'npm', args: 'start'`, yarn, pnpm)
// whose code does send process.send('ready'). The code runs in a child of
// the package manager, without PM2's IPC channel: process.send is
// undefined there, the message never reaches PM2, and every start waits
// listen_timeout before the app is marked online anyway (docs/pm2-behaviour.md#wait-ready-timeout).
// Proven against PM2 in audit/proof (docs/pm2-behaviour.md#ready-through-package-manager). When the code does not
// send 'ready' at all, wait-ready-without-handshake reports the app
// instead.
type waitReadyThroughPackageManager struct{}

func (waitReadyThroughPackageManager) Meta() Meta {
	return Meta{ID: "wait-ready-through-package-manager", Severity: Error, Behaviours: []string{"ready-through-package-manager", "wait-ready-timeout"},
		Docs: docsSignals, Proof: proofDir("wait-ready-through-package-manager")}
}

func (r waitReadyThroughPackageManager) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := setTrue(a.App, "wait_ready")
		if !ok {
			continue
		}
		script := scriptOf(a)
		pmName := a.PM2.PackageManager()
		if pmName == "" {
			continue
		}
		// Whatever the code does, its message cannot arrive. When the
		// code was read and sends none, wait-ready-without-handshake
		// reports the app instead.
		var hs []scan.Evidence
		if res := scanOf(a); res != nil {
			if hs = res.Filter(scan.Handshake, scan.InCode); len(hs) == 0 {
				continue
			}
		}
		timeout, set := timeoutOption(a, "listen_timeout", pm2.DefaultListenTimeout)
		args := message.Args{
			"pm":                 message.CodeOf(pmName),
			"script":             message.CodeOf(script),
			"first":              message.At("", 0), // none: the code was not read
			"handshakes":         message.CountOf(len(hs)),
			"listen_timeout":     message.MillisOf(float64(timeout)),
			"listen_timeout_set": message.BoolOf(set),
		}
		if len(hs) > 0 {
			args["first"] = message.At(hs[0].Path, hs[0].Line)
		}
		fd := newFinding(r.Meta(), a, f.Line, "wait_ready", "", args, cite(a.App, "wait_ready", "script", "args", "listen_timeout")...)
		fd.About = About{Subject: HandshakeUnreachable, PackageManager: pmName, ListenTimeoutMS: float64(timeout)}
		fd.Evidence = append(fd.Evidence, hs...)
		out = append(out, fd)
	}
	return out
}
