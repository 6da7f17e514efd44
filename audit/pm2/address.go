package pm2

import "strings"

// OptionLike reports whether PM2's command line would not take name,
// given as an argument of its own, as that name
// (docs/pm2-behaviour.md#cli-option-like-names): commander splits a word
// that starts with one dash into short options (`-rf` is `-r -f`) and reads
// one with two as an option (`--watch`), and lib/binaries/CLI.js looks for
// some words anywhere before `--` (`log` is rewritten to `logs`, `startup`
// and `unstartup` run the startup command). Such names are written with
// AppArgs and FlagArgs.
func OptionLike(name string) bool {
	switch name {
	case "log", "startup", "unstartup":
		return true
	}
	return strings.HasPrefix(name, "-")
}

// AppArgs returns the arguments after `pm2` that run verb on the one app
// named name, followed by flags (the verb's own options, such as
// "--lines", "80"). A name that is OptionLike is given to
//
//   - show, describe, info: after `--`;
//   - every other verb (delete, restart, reload, stop, logs): as a regular
//     expression that matches that name only (`/^-rf$/`), which PM2
//     matches against app names (lib/API.js _operate,
//     lib/API/LogManagement.js). `--` would be wrong there: restart drops
//     the words after `--` and restarts nothing (CLI.js patchCommanderArg),
//     and reload hands them to the app as its arguments (lib/API.js
//     _handleAttributeUpdate).
//
// Any other name is given as it is.
func AppArgs(verb, name string, flags ...string) []string {
	switch {
	case !OptionLike(name):
		return append([]string{verb, name}, flags...)
	case verb == "show" || verb == "describe" || verb == "info":
		return append(append([]string{verb}, flags...), "--", name)
	default:
		return append([]string{verb, nameRegexp(name)}, flags...)
	}
}

// FlagArgs returns a flag that takes a value (--only, --env) with its
// value: `--only=<value>` when the value is OptionLike, since PM2 looks for
// some options in its raw arguments whatever precedes them (`--only
// --watch` turns watching on: lib/API.js start), else two words.
func FlagArgs(flag, value string) []string {
	if OptionLike(value) {
		return []string{flag + "=" + value}
	}
	return []string{flag, value}
}

// FileArg is a file argument as PM2 reads it: a relative path that starts
// with a dash gets "./".
func FileArg(file string) string {
	if strings.HasPrefix(file, "-") {
		return "./" + file
	}
	return file
}

// nameRegexp is the regular expression, in PM2's /.../ form, that matches
// exactly name: JavaScript's special characters escaped, and "/" written
// \x2f because PM2 deletes every "/" of the argument before it compiles it.
func nameRegexp(name string) string {
	var b strings.Builder
	b.WriteString("/^")
	for _, r := range name {
		switch {
		case r == '/':
			b.WriteString(`\x2f`)
		case strings.ContainsRune(`\^$.*+?()[]{}|`, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("$/")
	return b.String()
}
