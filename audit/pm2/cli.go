package pm2

import (
	"regexp"
	"strings"
)

// fileCommand matches a pm2 command that reads the ecosystem file it is
// given and applies it to running apps without deleting them first
// (docs/pm2-behaviour.md#file-commands-keep-removed-keys): start, restart, reload, startOrRestart, startOrReload,
// startOrGracefulReload (also through pm2-runtime). Group 1 is the
// subcommand, group 2 the file, group 3 the rest of that command (up to a
// shell separator).
var fileCommand = regexp.MustCompile(`\bpm2(?:-runtime)?\s+(start|restart|reload|startOrRestart|startOrReload|startOrGracefulReload)\s+([^\s;&|]+)([^;&|]*)`)

// envFlag finds `--env <name>` or `--env=<name>`.
var envFlag = regexp.MustCompile(`(?:^|\s)--env[ =]([A-Za-z0-9_.-]+)`)

// FileCommand is one pm2 command of a shell command line that re-reads an
// ecosystem file.
type FileCommand struct {
	// Sub is the pm2 subcommand (reload, startOrRestart...).
	Sub string
	// File is the file argument as written.
	File string
	// Env is the --env name, "" without one.
	Env string
}

// FileCommands returns the pm2 commands of a shell command line (a deploy
// hook, a package.json script) that apply an ecosystem file to running
// apps. `pm2 restart <name>` reads no file, but the pattern cannot tell a
// name from a file: callers compare File with the file they care about.
func FileCommands(cmdline string) []FileCommand {
	var out []FileCommand
	for _, m := range fileCommand.FindAllStringSubmatch(cmdline, -1) {
		fc := FileCommand{Sub: m[1], File: m[2]}
		if e := envFlag.FindStringSubmatch(m[3]); e != nil {
			fc.Env = e[1]
		}
		out = append(out, fc)
	}
	return out
}

// DeletesFirst reports whether a command line deletes apps with pm2 before
// it applies a file, which then starts them exactly as the file says.
func DeletesFirst(cmdline string) bool {
	return strings.Contains(cmdline, "pm2 delete")
}
