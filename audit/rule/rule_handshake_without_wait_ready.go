package rule

import (
	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/scan"
)

// handshakeWithoutWaitReady: the code sends process.send('ready') (or, in
// cluster mode, cluster.worker.send('ready'), the same message, docs/pm2-behaviour.md#cluster-worker-ready)
// but the app does not set wait_ready: true, so PM2 ignores the message
// and marks the app online as soon as the process is up (docs/pm2-behaviour.md#ready-ignored-without-wait-ready).
type handshakeWithoutWaitReady struct{}

func (handshakeWithoutWaitReady) Meta() Meta {
	return Meta{ID: "handshake-without-wait-ready", Severity: Info, Behaviours: []string{"ready-ignored-without-wait-ready", "wait-ready-message"},
		Docs: docsSignals, Proof: proofDir("handshake-without-wait-ready")}
}

func (r handshakeWithoutWaitReady) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		hs := handshakes(a)
		if len(hs) == 0 || a.PM2.PackageManager() != "" {
			// Through a package manager the message cannot reach PM2:
			// advising wait_ready would cost listen_timeout per start.
			continue
		}
		workers := 0
		for _, h := range hs {
			if h.Kind == scan.WorkerHandshake {
				workers++
			}
		}
		line := a.App.Line
		falseWritten := false
		var cite []ecosystem.Field
		if f, ok := option(a.App, "wait_ready"); ok {
			v, known := isTrue(f.Value)
			if v || !known {
				continue
			}
			line = f.Line
			falseWritten = true
			cite = append(cite, f)
		}
		cluster, _ := clusterMode(a)
		fd := newFinding(r.Meta(), a, line, "wait_ready", "", message.Args{
			"handshakes":    message.CountOf(len(hs)),
			"first":         message.At(hs[0].Path, hs[0].Line),
			"cluster":       message.BoolOf(cluster),
			"false_written": message.BoolOf(falseWritten),
		}, cite...)
		setCount(fd.Args, "worker_sends", workers)
		fd.About.Subject = HandshakeIgnored
		fd.Evidence = append(fd.Evidence, hs...)
		out = append(out, fd)
	}
	return out
}
