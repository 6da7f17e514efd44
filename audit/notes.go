package audit

import "github.com/auditbot/auditbot/audit/message"

// The notes that are language-neutral: each constructor names a message
// id of report/templates/<lang>/notes.yaml and its typed arguments.
// resolutionNotes adds "app" (the app's name) and "base" (the note is
// about the base revision) to the notes of an app's resolution.

// Note message ids.
const (
	NoteScriptInPath   = "note-script-in-path"
	NoteAppsComputed   = "note-apps-computed"
	NoteAppComputed    = "note-app-computed"
	NoteExportsNoApps  = "note-exports-no-apps"
	NoteTooLargeToDiff = "note-too-large-to-diff"
	NoteSubmodule      = "note-submodule"
	NoteLatin1         = "note-latin1"
	NoteConfigUnread   = "note-config-unread"
	NoteManySources    = "note-many-sources"
	NoteConfigTooLarge = "note-config-too-large"
	NoteEntryTooLarge  = "note-entry-too-large"
	NoteScanStopped    = "note-scan-stopped"
	NoteSourceTooLarge = "note-source-too-large"
	NoteCwdLink        = "note-cwd-link"
	NoteCwdNotDir      = "note-cwd-not-dir"
	NoteScriptLink     = "note-script-link"
	NoteGraphComputed  = "note-graph-computed"
	NoteGraphUnknown   = "note-graph-unknown"
	NoteGraphLimit     = "note-graph-limit"
	NoteUnreadableFile = "note-unreadable"
	NoteBuiltAtDeploy  = "note-built-at-deploy"
	NoteDynamicValue   = "note-dynamic-value"
)

// NoteMessages are the note constructors with example arguments, one per
// id, as the engine fills them (report tests render each in every
// language).
func NoteMessages() []*message.Message {
	inApp := func(m *message.Message, base bool) *message.Message {
		m.Args["app"] = message.CodeOf("web")
		if base {
			m.Args["base"] = message.BoolOf(true)
		}
		return m
	}
	return []*message.Message{
		inApp(scriptInPathNote("npm"), false),
		inApp(scriptInPathNote("npm"), true),
		appsComputedNote(),
		appComputedNote(2),
		exportsNoAppsNote(),
		tooLargeToDiffNote(),
		submoduleNote("vendor/lib"),
		latin1Note("svc/ecosystem.config.js", 3, 14, "head"),
		configUnreadNote("nesting deeper than 64 levels; not read"),
		manySourcesNote(500),
		configTooLargeNote("ecosystem.config.js", 2<<20, 1<<20),
		entryTooLargeNote(9<<20, 4<<20),
		scanStoppedNote("more than 20000 files"),
		sourceTooLargeNote(4 << 20),
		inApp(cwdLinkNote("releases/current"), false),
		inApp(cwdNotDirNote("dist"), true),
		inApp(scriptLinkNote("bin/server.js"), false),
		inApp(graphComputedNote("src/app.js", 12, "require(name)", "src/app.js", "src"), false),
		inApp(graphUnknownNote("src/app.js", 3, "@/db", "src/app.js", "."), false),
		inApp(graphLimitNote("src/app.js", "more than 5000 modules", "src"), true),
		unreadableNote("open vendor: permission denied"),
		inApp(builtAtDeployNote("dist/main.js", ".", true), false),
		inApp(builtAtDeployNote("web/node_modules/nuxt/bin/nuxt.js", "web", false), true),
		dynamicValueNote("process.env.REDIS_URL", "process.env.REDIS_URL has no default", false),
		dynamicValueNote("x.args()", "call", true),
	}
}

func says(id string, args message.Args) *message.Message {
	return &message.Message{ID: id, Args: args}
}

// scriptInPathNote: the script is not a file of the repository, and PM2
// looks it up in PATH (npm, yarn, a binary).
func scriptInPathNote(script string) *message.Message {
	return says(NoteScriptInPath, message.Args{"script": message.CodeOf(script)})
}

// appsComputedNote: the apps list is computed at run time.
func appsComputedNote() *message.Message { return says(NoteAppsComputed, nil) }

// appComputedNote: app #index is computed at run time.
func appComputedNote(index int) *message.Message {
	return says(NoteAppComputed, message.Args{"index": message.CountOf(index)})
}

// exportsNoAppsNote: the file exports no apps list readable statically.
func exportsNoAppsNote() *message.Message { return says(NoteExportsNoApps, nil) }

// tooLargeToDiffNote: the file is too large to diff.
func tooLargeToDiffNote() *message.Message { return says(NoteTooLargeToDiff, nil) }

// sayNote records a language-neutral note.
func (a *run) sayNote(kind, p string, line int, m *message.Message) {
	a.notes = append(a.notes, Note{Kind: kind, Path: p, Line: line, Says: m})
}

// submoduleNote: p is a submodule, whose files were not read.
func submoduleNote(p string) *message.Message {
	return says(NoteSubmodule, message.Args{"path": message.CodeOf(p)})
}

// latin1Note: p is not UTF-8 and was read as Latin-1 in revision rev.
func latin1Note(p string, line, col int, rev string) *message.Message {
	return says(NoteLatin1, message.Args{"path": message.CodeOf(p), "line": message.CountOf(line),
		"column": message.CountOf(col), "base": message.BoolOf(rev == "base")})
}

// configUnreadNote: an ecosystem file hit a parser limit (reason, the
// parser's English text).
func configUnreadNote(reason string) *message.Message {
	return says(NoteConfigUnread, message.Args{"reason": message.TextOf(reason)})
}

// manySourcesNote: hunks are kept for the first max changed source files.
func manySourcesNote(max int) *message.Message {
	return says(NoteManySources, message.Args{"max": message.CountOf(max)})
}

// configTooLargeNote: ecosystem file p is over the size limit.
func configTooLargeNote(p string, size int64, max int) *message.Message {
	return says(NoteConfigTooLarge, message.Args{"path": message.CodeOf(p),
		"bytes": message.NumberOf(float64(size)), "max": message.NumberOf(float64(max))})
}

// entryTooLargeNote: an entry script is over the scan limit.
func entryTooLargeNote(size, max int64) *message.Message {
	return says(NoteEntryTooLarge, message.Args{"bytes": message.NumberOf(float64(size)), "max": message.NumberOf(float64(max))})
}

// scanStoppedNote: a service's source scan stopped at a limit (the
// scanner's English text).
func scanStoppedNote(limit string) *message.Message {
	return says(NoteScanStopped, message.Args{"limit": message.TextOf(limit)})
}

// sourceTooLargeNote: a source file is over the scan limit.
func sourceTooLargeNote(max int64) *message.Message {
	return says(NoteSourceTooLarge, message.Args{"max": message.NumberOf(float64(max))})
}

// cwdLinkNote: the app's cwd goes through a symbolic link or a submodule.
func cwdLinkNote(dir string) *message.Message {
	return says(NoteCwdLink, message.Args{"dir": message.CodeOf(dir)})
}

// cwdNotDirNote: the app's cwd is not a directory in this revision.
func cwdNotDirNote(dir string) *message.Message {
	return says(NoteCwdNotDir, message.Args{"dir": message.CodeOf(dir)})
}

// scriptLinkNote: the app's script goes through a symbolic link or a
// submodule.
func scriptLinkNote(p string) *message.Message {
	return says(NoteScriptLink, message.Args{"script": message.CodeOf(p)})
}

// graphComputedNote: the script's module graph loads a module named at
// run time (text, the call), at path:line; all of dir is read as its code.
func graphComputedNote(p string, line int, text, script, dir string) *message.Message {
	return says(NoteGraphComputed, message.Args{"at": message.At(p, line), "call": message.CodeOf(text),
		"script": message.CodeOf(script), "dir": message.CodeOf(dir)})
}

// graphUnknownNote: the module graph loads spec, neither a dependency nor
// a Node built-in.
func graphUnknownNote(p string, line int, spec, script, dir string) *message.Message {
	return says(NoteGraphUnknown, message.Args{"at": message.At(p, line), "spec": message.CodeOf(spec),
		"script": message.CodeOf(script), "dir": message.CodeOf(dir)})
}

// graphLimitNote: the module graph stopped at a limit (the scanner's
// English text).
func graphLimitNote(script, limit, dir string) *message.Message {
	return says(NoteGraphLimit, message.Args{"script": message.CodeOf(script), "limit": message.TextOf(limit),
		"dir": message.CodeOf(dir)})
}

// unreadableNote: a file or directory could not be read (the system's
// English error).
func unreadableNote(reason string) *message.Message {
	return says(NoteUnreadableFile, message.Args{"reason": message.TextOf(reason)})
}

// builtAtDeployNote: the script is built or installed at deploy time in
// root; scanned says the package's sources were scanned instead.
func builtAtDeployNote(script, root string, scanned bool) *message.Message {
	return says(NoteBuiltAtDeploy, message.Args{"script": message.CodeOf(script), "root": message.CodeOf(root),
		"scanned": message.BoolOf(scanned)})
}

// dynamicValueNote: a value of an ecosystem file is not resolved
// statically (source, as written and masked; reason, the parser's English
// text); base says the note is about the base revision.
func dynamicValueNote(source, reason string, base bool) *message.Message {
	return says(NoteDynamicValue, message.Args{"source": message.CodeOf(source), "reason": message.TextOf(reason),
		"base": message.BoolOf(base)})
}
