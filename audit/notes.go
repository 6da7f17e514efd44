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
