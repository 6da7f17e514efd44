package pm2

import (
	"errors"
	"strconv"
	"strings"
)

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
// A name that is Numeric is given to every verb but show as that regular
// expression too: PM2 reads a number as an app name, then a namespace,
// then a process id (lib/API.js _operate), so `pm2 delete 2024` deletes
// process 2024 once no app is named 2024; a regular expression matches
// names only. show has no such form: `pm2 show 1` describes the app named
// 1 and process 1 (lib/API.js describe), so the name is given as it is.
//
// Any other name is given as it is.
func AppArgs(verb, name string, flags ...string) []string {
	isShow := verb == "show" || verb == "describe" || verb == "info"
	switch {
	case Numeric(name) && !OptionLike(name) && !isShow:
		return append([]string{verb, nameRegexp(name)}, flags...)
	case !OptionLike(name):
		return append([]string{verb, name}, flags...)
	case isShow:
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

// Numeric reports whether JavaScript's isNaN is false for name, the test
// by which PM2 takes an app argument for a process id (`2024`, `-1`,
// ` 7 `, `0x1f`, `1e3`, `Infinity`; lib/API.js _operate, describe).
func Numeric(name string) bool {
	s := strings.TrimSpace(name)
	if s == "" {
		return true
	}
	for _, p := range []string{"0x", "0X", "0o", "0O", "0b", "0B"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[p[1]]
			_, err := strconv.ParseUint(rest, base, 64)
			return err == nil || errors.Is(err, strconv.ErrRange)
		}
	}
	switch strings.TrimLeft(s, "+-") {
	case "Infinity":
		return len(s)-len("Infinity") <= 1
	case "inf", "Inf", "infinity", "nan", "NaN", "NAN":
		return false // Go's spellings, not JavaScript's
	}
	if strings.ContainsAny(s, "_xXpP") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// OnlySplits reports whether `--only` cannot select the app named name:
// PM2 splits the value of --only at every comma and space
// (`opts.only.split(/,| /)`, lib/API.js _startJson), so `--only 'my api'`
// selects the apps `my` and `api`, and no value selects `my api`
// (docs/pm2-behaviour.md#only-splits-names).
func OnlySplits(name string) bool {
	return strings.ContainsAny(name, ", ")
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
