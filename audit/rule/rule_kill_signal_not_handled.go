package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"sort"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// killSignalNotHandled: the service's shutdown code listens only for what
// PM2 does not send (docs/pm2-behaviour.md#kill-signal). PM2 stops an app with SIGINT
// (unless its daemon runs with PM2_KILL_SIGNAL); with
// shutdown_with_message: true it sends the 'shutdown' IPC message instead.
// So: signal handlers but none for SIGINT, or shutdown_with_message with
// signal handlers and no 'shutdown' message handler. A service with no
// shutdown code at all is not flagged. Handlers found only in tests and
// fixtures are not the service's code: they do not count, and the message
// says they were seen.
type killSignalNotHandled struct{}

func (killSignalNotHandled) Meta() Meta {
	return Meta{ID: "kill-signal-not-handled", Severity: Warning, Behaviours: []string{"kill-signal", "kill-timeout", "shutdown-with-message"},
		Docs: docsSignals, Proof: proofDir("kill-signal-not-handled")}
}

func (r killSignalNotHandled) Check(in *Input) []Finding {
	var out []Finding
	for _, a := range in.Apps {
		if scanOf(a) == nil {
			continue
		}
		var handlers []scan.Evidence
		for _, h := range implementation(a, scan.SignalHandler) {
			if shutdownSignals[h.Detail] {
				handlers = append(handlers, h)
			}
		}
		if len(handlers) == 0 {
			continue
		}
		withMessage, known := optionTrue(a.App, "shutdown_with_message")
		if !known {
			continue
		}
		signals := map[string]bool{}
		for _, h := range handlers {
			signals[h.Detail] = true
		}
		handled := sortedKeys(signals)
		sort.Strings(handled)
		kt, ktSet := timeoutOption(a, "kill_timeout", pm2.DefaultKillTimeout) // docs/pm2-behaviour.md#kill-timeout
		line := a.App.Line
		if f, ok := option(a.App, "kill_timeout"); ok && ktSet {
			line = f.Line
		}
		args := message.Args{
			"handled":          message.CodesOf(handled),
			"kill_timeout":     message.MillisOf(float64(kt)),
			"kill_timeout_set": message.BoolOf(ktSet),
			"with_message":     message.BoolOf(withMessage),
			"sigterm_only":     message.BoolOf(len(handled) == 1 && handled[0] == "SIGTERM"),
			"expected":         message.CodeOf(pm2.KillSignal),
		}
		// What PM2 sends, handled only in tests (which PM2 does not run).
		var tested []scan.Evidence
		if withMessage {
			tested = onlyInTests(a, scan.ShutdownMessage)
		} else {
			for _, h := range onlyInTests(a, scan.SignalHandler) {
				if h.Detail == pm2.KillSignal {
					tested = append(tested, h)
				}
			}
		}
		setCount(args, "only_in_tests", len(tested))
		var fd Finding
		switch {
		case withMessage:
			if len(implementation(a, scan.ShutdownMessage)) > 0 {
				continue
			}
			if f, ok := option(a.App, "shutdown_with_message"); ok {
				line = f.Line
			}
			args["expected"] = message.CodeOf(pm2.ShutdownMessage)
			fd = newFinding(r.Meta(), a, line, "shutdown_with_message", pm2.ShutdownMessage, args)
		default:
			if signals[pm2.KillSignal] {
				continue
			}
			// With kill_timeout written, the finding is about that
			// option: it gives time to a handler that never runs.
			opt := ""
			if ktSet {
				opt = "kill_timeout"
			}
			fd = newFinding(r.Meta(), a, line, opt, pm2.KillSignal, args)
		}
		if f, ok := option(a.App, "kill_timeout"); ok {
			fd.Evidence = append(fd.Evidence, fieldEvidence(a.File.Path, f))
		}
		if f, ok := option(a.App, "shutdown_with_message"); ok {
			fd.Evidence = append(fd.Evidence, fieldEvidence(a.File.Path, f))
		}
		fd.About.Subject = KillSignalNotHandled
		fd.Evidence = append(fd.Evidence, handlers...)
		fd.Evidence = append(fd.Evidence, tested...)
		out = append(out, fd)
	}
	return out
}

// shutdownSignals are the signals a handler listens for to shut down;
// SIGUSR1/SIGUSR2 (debugger, log rotation) and others are not shutdown code.
var shutdownSignals = map[string]bool{"SIGINT": true, "SIGTERM": true, "SIGQUIT": true, "SIGHUP": true, "SIGBREAK": true}
