package rule

import (
	"path"
	"strings"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// waitReadyWithoutHandshake: wait_ready: true while the service's code
// never sends process.send('ready') (FACTS §1, §13.1). Every start then
// blocks listen_timeout per instance, serially, and the app is marked
// online anyway. When the service was not scanned nothing is claimed.
//
// An app started through a package manager (`script: 'npm', args:
// 'start'`, or 'npm run start') never gets the message through, whatever
// its code says: npm is a Node program, Node removes the IPC channel from
// the environment it passes on (NODE_CHANNEL_FD), and the app runs as
// npm's child with process.send undefined (FACTS §13.1, "sends from a
// child process"; run with pm2 7.0.4: the app logged `typeof
// process.send` undefined and `pm2 start` took the whole listen_timeout).
type waitReadyWithoutHandshake struct{}

func (waitReadyWithoutHandshake) Meta() Meta {
	return Meta{ID: "wait-ready-without-handshake", Severity: Error, Facts: []string{"§1", "§2", "§13.1"},
		Docs: docsSignals, Proof: proofDir("wait-ready-without-handshake")}
}

func (r waitReadyWithoutHandshake) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		f, ok := option(a.App, "wait_ready")
		if !ok {
			continue
		}
		if v, known := isTrue(f.Value); !v || !known {
			continue
		}
		launcher := packageManager(scriptOf(a))
		res := scanOf(a)
		if launcher == "" && (res == nil || res.Has(scan.Handshake, scan.InCode)) {
			continue
		}
		timeout, set := timeoutOption(a, "listen_timeout", pm2.DefaultListenTimeout) // FACTS §1.5
		instances, _ := instancesOf(a)
		cluster, _ := clusterMode(a)
		var ev []scan.Evidence
		docs, mentions, sent := 0, 0, 0
		if res != nil {
			for _, e := range res.Evidence {
				if e.Kind == scan.Handshake && e.Context == scan.InCode {
					ev = append(ev, e)
					sent++
					continue
				}
				if readyRelated(e) {
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
		}
		total := 0
		if instances > 0 {
			total = instances * timeout
		}
		dir, files, truncated := "", 0, false
		if res != nil {
			dir, files, truncated = res.Dir, res.Files, res.Truncated
		}
		args := map[string]any{
			"launcher":           launcher,
			"handshakes":         sent,
			"listen_timeout":     timeout,
			"listen_timeout_set": set,
			"instances":          instances,
			"total_ms":           total,
			"cluster":            cluster,
			"dir":                dir,
			"files":              files,
			"doc_mentions":       docs,
			"code_mentions":      mentions,
			"truncated":          truncated,
		}
		if launcher != "" {
			args["variant"] = "launcher"
		}
		fd := newFinding(r.Meta(), a, f.Line, "wait_ready", "", args, cite(a.App, "wait_ready", "listen_timeout")...)
		fd.Evidence = append(fd.Evidence, ev...)
		out = append(out, fd)
	}
	return out
}

// readyRelated reports whether evidence is about the ready handshake: a
// mention of it, a handshake outside code, or a mention of wait_ready,
// listen_timeout or process.send in comments or documentation.
func readyRelated(e scan.Evidence) bool {
	switch e.Kind {
	case scan.ReadyMention, scan.Handshake:
		return true
	case scan.OptionMention:
		switch e.Detail {
		case "wait_ready", "waitReady", "listen_timeout", "listenTimeout", "process.send", "ready":
			return true
		}
	}
	return false
}

// packageManagers are the Node-based launchers that run an app's code as
// their own child process.
var packageManagers = map[string]bool{"npm": true, "npx": true, "yarn": true, "pnpm": true}

// packageManager returns the package manager a script starts (npm for
// `npm`, `npm run start`, `/usr/bin/npm`), or "".
func packageManager(script string) string {
	f := strings.Fields(script)
	if len(f) == 0 {
		return ""
	}
	name := path.Base(f[0])
	if packageManagers[name] {
		return name
	}
	return ""
}
