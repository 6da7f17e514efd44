package report

import (
	"math"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
)

// What the report knows of particular rules and of their findings' Args,
// in one place. Sections read a finding through these names and
// accessors, never through a rule id or an Args key of their own, so that
// when findings carry typed arguments (issue 11) only this file changes.

// Rules whose findings a section presents in its own way.
const (
	ruleHelper                = "helper-script-unreferenced"     // section 8 shows the script
	ruleTwin                  = "twin-config-drift"              // section 7 compares the files
	ruleWaitReadyNoHandshake  = "wait-ready-without-handshake"   // the handshake is absent
	ruleWaitReadyUndecided    = "wait-ready-handshake-undecided" // the handshake is undecided
	ruleWaitReadyThroughPM    = "wait-ready-through-package-manager"
	ruleHandshakeNoWaitReady  = "handshake-without-wait-ready"
	ruleKillSignalNotHandled  = "kill-signal-not-handled"
	ruleNodeArgsNonNodeInterp = "node-args-non-node-interpreter"
)

// packageManagerOf is the package manager a finding's app starts
// through, from the rule's own values.
func packageManagerOf(f *audit.Finding) string {
	return f.Message.Args["pm"].Str
}

// variantKey is the catalog key of a finding's own case: "rule:variant"
// when the rule says which of its cases it is (Args["variant"]), else "".
func variantKey(f audit.Finding) string {
	if v := f.Message.Args["variant"].Str; v != "" {
		return f.Rule + ":" + v
	}
	return ""
}

// nodeArgsIgnored tells whether a node-args finding says the flags are
// ignored (interpreter none) rather than rejected.
func nodeArgsIgnored(f audit.Finding) bool {
	return f.Message.Args["effect"].Str == "ignored"
}

// listenTimeoutArg is the listen_timeout a finding's rule computed (the
// engine's own figure, as its message says it), when it did.
func listenTimeoutArg(f audit.Finding) (float64, bool) {
	v, ok := f.Message.Args["listen_timeout"]
	n := v.Num
	return n, ok && v.Kind == message.Millis && n > 0 && !math.IsInf(n, 0)
}
