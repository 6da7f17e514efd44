// Package pm2 holds what auditbot knows about PM2 itself, as data: the
// option schema PM2 validates ecosystem files against (schema.json, a
// byte-identical copy of PM2 7.0.3's lib/API/schema.json), which file names
// PM2 reads as configuration, how it picks an interpreter, and the defaults
// its code applies. Behaviours lists what PM2 does that
// auditbot relies on (docs/pm2-behaviour.md is generated from it).
package pm2

// Defaults applied by PM2's code, not by the schema.
const (
	// DefaultListenTimeout is cst.GRACEFUL_LISTEN_TIMEOUT: how long PM2
	// waits for 'ready' (wait_ready) or 'listening' (cluster reload) before
	// going on anyway (docs/pm2-behaviour.md#wait-ready-timeout, constants.js:85).
	DefaultListenTimeout = 3000
	// DefaultKillTimeout is cst.KILL_TIMEOUT: the wait between the stop
	// signal and SIGKILL (docs/pm2-behaviour.md#kill-timeout, constants.js:105).
	DefaultKillTimeout = 1600
	// KillSignal is the signal PM2 stops apps with unless the daemon runs
	// with PM2_KILL_SIGNAL (docs/pm2-behaviour.md#kill-signal, constants.js:106).
	KillSignal = "SIGINT"
	// ShutdownMessage is what PM2 sends over IPC instead of a signal when
	// shutdown_with_message is set (docs/pm2-behaviour.md#shutdown-with-message, lib/God/Methods.js:221-233).
	ShutdownMessage = "shutdown"
	// ReadyMessage is the only IPC message wait_ready accepts, compared
	// with === on the raw message (docs/pm2-behaviour.md#wait-ready-message, lib/God.js:382-389).
	ReadyMessage = "ready"
	// DefaultMaxRestarts and DefaultMinUptime are the code defaults for
	// the unstable-restart counter (docs/pm2-behaviour.md#unstable-restarts, lib/God.js:452-453).
	DefaultMaxRestarts = 16
	DefaultMinUptime   = 1000
	// WorkerInterval is how often the daemon checks max_memory_restart
	// (docs/pm2-behaviour.md#max-memory-restart, constants.js:104).
	WorkerInterval = 30000
	// DefaultConfigFile is what `pm2 start` with no argument loads; it does
	// not look for .cjs or .mjs (docs/pm2-behaviour.md#esm-config, constants.js:34).
	DefaultConfigFile = "ecosystem.config.js"
)
