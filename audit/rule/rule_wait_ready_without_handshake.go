package rule

import (
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// waitReadyWithoutHandshake: wait_ready: true while the service's code
// never sends process.send('ready') (FACTS §1, §13.1). Every start then
// blocks listen_timeout per instance, serially, and the app is marked
// online anyway. When the service was not scanned nothing is claimed.
type waitReadyWithoutHandshake struct{}

func (waitReadyWithoutHandshake) Meta() Meta {
	return Meta{ID: "wait-ready-without-handshake", Severity: Error, Facts: []string{"§1", "§2", "§13.1"},
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
		if res == nil || res.Has(scan.Handshake, scan.InCode) {
			continue
		}
		timeout, set := timeoutOption(a, "listen_timeout", pm2.DefaultListenTimeout) // FACTS §1.5
		instances, _ := instancesOf(a)
		cluster, _ := clusterMode(a)
		var ev []scan.Evidence
		docs, mentions := 0, 0
		for _, e := range res.Evidence {
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
		total := 0
		if instances > 0 {
			total = instances * timeout
		}
		args := map[string]any{
			"listen_timeout":     timeout,
			"listen_timeout_set": set,
			"instances":          instances,
			"total_ms":           total,
			"cluster":            cluster,
			"dir":                res.Dir,
			"files":              res.Files,
			"doc_mentions":       docs,
			"code_mentions":      mentions,
			"truncated":          res.Truncated,
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
