package rule

// Subject is what a finding is about, beyond its rule's words: the report
// presents some subjects in sections of its own (the handshake's state,
// the helper scripts, the twin files), and reads them here, never from a
// rule id or a message argument.
type Subject string

// Subjects of findings.
const (
	// HandshakeAbsent: wait_ready, and the code never sends 'ready'.
	HandshakeAbsent Subject = "handshake-absent"
	// HandshakeUndecided: wait_ready, and whether the code sends 'ready'
	// is decided at run time.
	HandshakeUndecided Subject = "handshake-undecided"
	// HandshakeUnreachable: wait_ready, and the code runs under a package
	// manager, whose child has no IPC channel to PM2.
	HandshakeUnreachable Subject = "handshake-unreachable"
	// HandshakeIgnored: the code sends 'ready', and no wait_ready asks.
	HandshakeIgnored Subject = "handshake-ignored"
	// KillSignalNotHandled: the code does not handle what PM2 stops it with.
	KillSignalNotHandled Subject = "kill-signal-not-handled"
	// ScriptNotFound: the script an app runs is not where PM2 looks.
	ScriptNotFound Subject = "script-not-found"
	// HelperScript: a shell script beside the config that no app runs.
	HelperScript Subject = "helper-script"
	// TwinDrift: two config files define the same app differently.
	TwinDrift Subject = "twin-drift"
	// NodeArgsRejected: an interpreter that is not node rejects the flags.
	NodeArgsRejected Subject = "node-args-rejected"
	// NodeArgsIgnored: the flags never reach node (interpreter none).
	NodeArgsIgnored Subject = "node-args-ignored"
)

// About is what a finding tells the report beyond its message, as typed
// data: what it is about, and the facts the report's sections need.
type About struct {
	Subject Subject `json:"subject,omitempty"`
	// PackageManager is the package manager the app starts through (npm,
	// yarn, pnpm, bun), when that is the finding's point.
	PackageManager string `json:"package_manager,omitempty"`
	// ListenTimeoutMS is the listen_timeout the rule computed (PM2's
	// default when unset), in milliseconds; 0 when the rule computed none
	// or it is not a finite number.
	ListenTimeoutMS float64 `json:"listen_timeout_ms,omitempty"`
	// Variant names the case of a rule whose texts in the report differ
	// (the catalog's "<rule>:<variant>" entries): "missing",
	// "cwd-unknown", "guarded", "crash", "ignored", "option-written".
	Variant string `json:"variant,omitempty"`
}
