package audit

import (
	"time"

	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/rule"
)

// SchemaVersion names the JSON document format. It changes only when a
// field is removed or changes meaning; new fields may be added. v2: a
// finding carries its message's id and typed arguments, no rendered text.
const SchemaVersion = "auditbot/v2"

// Document is the result of auditing one change: the engine's output, the
// input of every report format. Its JSON form is documented in the README
// and stable.
type Document struct {
	Schema string `json:"schema"`
	Tool   Tool   `json:"tool"`
	Base   Commit `json:"base"`
	Head   Commit `json:"head"`
	// Impact is false when the change touches no ecosystem file and no
	// source of a service run by one: nothing else below is then relevant.
	Impact bool `json:"impact"`
	// Changed lists every file the change touches, ecosystem files and
	// service sources with their hunks.
	Changed []ChangedFile `json:"changed"`
	// Ecosystems are the ecosystem files involved, at both revisions.
	Ecosystems []Ecosystem `json:"ecosystems"`
	// Services are the services run by the apps of those files, at head.
	Services []Service `json:"services"`
	// Docs are mentions of PM2 options in the repository's documentation
	// next to those services: documentation, not implementation.
	Docs     []Evidence `json:"docs"`
	Findings []Finding  `json:"findings"`
	Summary  Summary    `json:"summary"`
	// Notes say what the engine could not know or did not read (dynamic
	// values, size limits, unreadable files), so no output is silently
	// partial.
	Notes []Note `json:"notes"`
}

// Tool identifies the program that wrote the document.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Commit is one side of the change.
type Commit struct {
	SHA     string    `json:"sha"`
	Short   string    `json:"short"`
	Rev     string    `json:"rev"` // as the user wrote it
	Subject string    `json:"subject,omitempty"`
	Author  string    `json:"author,omitempty"`
	Date    time.Time `json:"date,omitzero"`
	// Empty is true for the empty tree a root commit is compared against.
	Empty bool `json:"empty,omitempty"`
	// Parents are the commit's parent SHAs (none for a root commit). The
	// report uses the head's to tell a one-commit change, which `git
	// revert <head>` undoes, from a longer range.
	Parents []string `json:"parents,omitempty"`
}

// File kinds in ChangedFile.Kind.
const (
	KindEcosystem = "ecosystem"
	KindSource    = "source"
	KindDoc       = "doc"
	KindOther     = "other"
)

// ChangedFile is one file touched by the change.
type ChangedFile struct {
	Path    string `json:"path"`
	OldPath string `json:"old_path,omitempty"`
	// Status is added, deleted, modified or renamed.
	Status string `json:"status"`
	// Kind is ecosystem, source (of a service an ecosystem file runs),
	// doc or other.
	Kind   string `json:"kind"`
	Binary bool   `json:"binary,omitempty"`
	// Hunks are kept for ecosystem and source files only; secret values
	// are masked in their lines.
	Hunks []Hunk `json:"hunks,omitempty"`
}

// Hunk is one hunk of a unified diff.
type Hunk struct {
	OldStart int        `json:"old_start"`
	OldLines int        `json:"old_lines"`
	NewStart int        `json:"new_start"`
	NewLines int        `json:"new_lines"`
	Section  string     `json:"section,omitempty"`
	Lines    []DiffLine `json:"lines"`
}

// DiffLine is one line of a hunk. Op is " ", "+" or "-"; Old and New are
// the line numbers on each side (0 when the line is not on that side).
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
	Old  int    `json:"old,omitempty"`
	New  int    `json:"new,omitempty"`
}

// Ecosystem is one ecosystem file at both revisions.
type Ecosystem struct {
	Path string `json:"path"`
	// OldPath is the path at base of a renamed file (Base describes the
	// file under that path). Findings are matched across the rename.
	OldPath string `json:"old_path,omitempty"`
	Format  string `json:"format"`
	// Loadable is false for files PM2 would not read as a config by name
	// (ecosystem.js, *.ts).
	Loadable bool `json:"loadable"`
	// Status is added, deleted, modified, renamed or unchanged (a file the
	// change does not touch, audited because it runs changed source).
	Status string  `json:"status"`
	Base   *EcoRev `json:"base,omitempty"`
	Head   *EcoRev `json:"head,omitempty"`
	// Changes compares every option of every app between the revisions.
	Changes []OptionChange `json:"changes,omitempty"`
	// Twins are other ecosystem files in the same directory that configure
	// an app of the same name (ecosystem.config.js and .cjs).
	Twins []string `json:"twins,omitempty"`
	// Unaudited says why the file's apps at head were not (all) audited,
	// empty when they were: "symlink" (a symbolic link, not followed),
	// "submodule", "size" (over the size limit), "limit" (beyond another
	// of the parser's limits), "binary" (no text), "syntax" (it does not
	// parse), "dynamic" (apps computed at run time). Any of them makes
	// the verdict at best "incomplete".
	Unaudited string `json:"unaudited,omitempty"`
}

// Reasons an ecosystem file was not audited at head (Ecosystem.Unaudited).
const (
	UnauditedSymlink   = "symlink"
	UnauditedSubmodule = "submodule"
	UnauditedSize      = "size"
	UnauditedLimit     = "limit"
	UnauditedBinary    = "binary"
	UnauditedSyntax    = "syntax"
	UnauditedDynamic   = "dynamic"
)

// EcoRev is an ecosystem file at one revision.
type EcoRev struct {
	Module Module `json:"module"`
	Apps   []App  `json:"apps"`
	// Deploy are the commands of the file's deploy section that run pm2
	// (`deploy.production['post-deploy']`).
	Deploy []DeployHook `json:"deploy,omitempty"`
	// StartEnvs are the --env names the repository starts the file with
	// (its deploy hooks, the package.json scripts beside it, a
	// Dockerfile), in order: the report's commands use the first.
	StartEnvs []string `json:"start_envs,omitempty"`
	// Error is set when the file could not be parsed at this revision.
	Error      *Position    `json:"error,omitempty"`
	Unresolved []Unresolved `json:"unresolved,omitempty"`
}

// DeployHook is one command of an ecosystem file's deploy section.
type DeployHook struct {
	Target  string `json:"target"`
	Hook    string `json:"hook"`
	Command string `json:"command"`
	Line    int    `json:"line"`
	Dynamic bool   `json:"dynamic,omitempty"`
}

// Module tells how the file exports its configuration.
type Module struct {
	ModuleExports   bool `json:"module_exports,omitempty"`
	ExportDefault   bool `json:"export_default,omitempty"`
	ExportNamedApps bool `json:"export_named_apps,omitempty"`
	// PackageType is the "type" of the nearest package.json.
	PackageType string `json:"package_type,omitempty"`
}

// App is one app of an ecosystem file.
type App struct {
	Name    string   `json:"name"`
	Line    int      `json:"line"`
	EndLine int      `json:"end_line,omitempty"`
	Options []Option `json:"options"`
	Dynamic bool     `json:"dynamic,omitempty"`
}

// Option is one option of an app.
type Option struct {
	Key string `json:"key"`
	// Value is the resolved value as JSON (string, number, bool, null,
	// array, object); absent when Dynamic. Secret values are masked.
	// Numbers JSON cannot hold (max_restarts: Infinity) are float64
	// Infinity or NaN in Go and the strings "Infinity", "-Infinity" and
	// "NaN" in JSON.
	Value   any    `json:"value,omitempty"`
	Source  string `json:"source,omitempty"`
	Line    int    `json:"line"`
	Dynamic bool   `json:"dynamic,omitempty"`
	Secret  bool   `json:"secret,omitempty"`
}

// Option change kinds.
const (
	Added     = "added"
	Removed   = "removed"
	Modified  = "changed"
	Unchanged = "unchanged"
)

// OptionChange compares one option of one app between the revisions.
type OptionChange struct {
	App    string  `json:"app"`
	Key    string  `json:"key"`
	Change string  `json:"change"` // added, removed, changed, unchanged
	Before *Option `json:"before,omitempty"`
	After  *Option `json:"after,omitempty"`
}

// Unresolved is an expression kept as dynamic.
type Unresolved struct {
	Line   int    `json:"line"`
	Source string `json:"source"`
	Reason string `json:"reason"`
}

// Position is a message at a place in a file.
type Position struct {
	Path string `json:"path"`
	Line int    `json:"line,omitempty"`
	Msg  string `json:"message"`
}

// Service is the code an app runs, at head (or base when the file was
// deleted).
type Service struct {
	App          string `json:"app"`
	Ecosystem    string `json:"ecosystem"`
	Dir          string `json:"dir"`
	Script       string `json:"script"`
	ScriptPath   string `json:"script_path,omitempty"`
	ScriptExists bool   `json:"script_exists"`
	// BuildOutput is true when a missing script is built or installed at
	// deploy time (dist/, node_modules/.bin/...): not committed, not a
	// mistake.
	BuildOutput bool `json:"build_output,omitempty"`
	// Interpreter, ViaShell, Mode, Instances and PackageManager are the
	// app as PM2 resolves it (pm2.App): the interpreter ("" when
	// computed at run time), bash -c for a script with a space, fork or
	// cluster ("" when exec_mode, the interpreter or instances is
	// computed at run time; a run-time instances count counts as one
	// that implies cluster), the instance count (1 when unset or
	// unknown; 0 one per CPU), and npm, yarn or pnpm when the script runs
	// through one.
	Interpreter    string     `json:"interpreter"`
	ViaShell       bool       `json:"via_shell,omitempty"`
	Mode           string     `json:"mode"`
	Instances      int        `json:"instances"`
	PackageManager string     `json:"package_manager,omitempty"`
	Scanned        int        `json:"files_scanned"`
	Evidence       []Evidence `json:"evidence"`
	Note           string     `json:"note,omitempty"`
}

// Evidence is one fact found in a file.
type Evidence struct {
	Kind    string `json:"kind"`
	Context string `json:"context"` // code, comment, string, doc, test (a test or fixture: not implementation)
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Detail  string `json:"detail,omitempty"`
	Text    string `json:"text,omitempty"`
	// Guard is the condition a handshake depends on (if, else as
	// "!(cond)", or &&), GuardLine its line; empty when unguarded.
	Guard     string `json:"guard,omitempty"`
	GuardLine int    `json:"guard_line,omitempty"`
}

// Finding states against the base revision.
const (
	Introduced = "introduced"
	Fixed      = "fixed"
	Persisting = "unchanged"
)

// Finding is one problem, classified against the base revision.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	// State is introduced (only at head), fixed (only at base) or
	// unchanged (at both).
	State string `json:"state"`
	Path  string `json:"path"`
	// Line is at head, or at base for fixed findings.
	Line int `json:"line"`
	// LineChange says what the change did to that line: added, removed
	// or context (untouched).
	LineChange string `json:"line_change"`
	App        string `json:"app,omitempty"`
	Option     string `json:"option,omitempty"`
	// Key is the rule's key that tells apart two findings of one rule on
	// the same app and option (a signal, an --env name, a helper script):
	// part of the identity that matches findings across revisions. Tests
	// assert it; the JSON document leaves it out (Option and the
	// message's arguments say the same to its readers).
	Key string `json:"-"`
	// Docs is the rule's PM2 documentation page.
	Docs string `json:"docs,omitempty"`
	// Message is what the finding says, without words: the id of its
	// texts (the rule's id) and its typed arguments. The report phrases
	// it in the reader's language (report/templates/<lang>/rules.yaml):
	// its title, message and remediation. Secret values are masked.
	Message message.Message `json:"message"`
	// About is what the finding is about beyond its message, as the rule
	// declares it: its subject (handshake absent, kill signal not
	// handled, helper script...), the package manager, the listen_timeout
	// it computed, the case of the rule. The report presents findings by
	// these, never by rule ids or message arguments. The package manager
	// is a name from a closed list, so nothing here can carry a secret.
	About rule.About `json:"about"`
	// Facts are the PM2 behaviours the rule relies on, each as
	// "docs/pm2-behaviour.md#<id>" (a path and anchor in auditbot's
	// repository). Until the behaviours were documented in this
	// repository they were sections of an external fact sheet ("§3");
	// the field keeps its name and meaning for consumers. Remediation
	// texts cite behaviours with the token "§<id>" (the same anchors),
	// which the Markdown report turns into links.
	Facts    []string   `json:"facts,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Summary counts findings.
type Summary struct {
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
	Infos      int `json:"infos"`
	Introduced int `json:"introduced"`
	Fixed      int `json:"fixed"`
	Unchanged  int `json:"unchanged"`
	// Unaudited counts the involved ecosystem files whose apps at head
	// were not (all) audited (see Ecosystem.Unaudited).
	Unaudited int `json:"unaudited,omitempty"`
	// Verdict: "fail" when an error is at head; "incomplete" when an
	// involved ecosystem file was not (fully) audited at head (a symbolic
	// link, a submodule, over a size or parser limit, binary, apps
	// computed at run time: nothing better can be claimed); "warn" when
	// a warning is at head; "pass" otherwise; "none" when the change has
	// no PM2 impact.
	Verdict string `json:"verdict"`
}

// Note kinds.
const (
	NoteLimit      = "limit"      // a size or count limit was hit
	NoteDynamic    = "dynamic"    // a value could not be resolved statically
	NoteUnreadable = "unreadable" // a file could not be read
	NoteSkipped    = "skipped"    // a file was deliberately not read
	NoteEncoding   = "encoding"   // a file is not UTF-8 and was decoded as Latin-1
)

// Note is something the engine could not know or did not read. A note
// says it as Says, a message id of the report's note catalogs
// (report/templates/<lang>/notes.yaml) and typed arguments, which the
// report phrases in the reader's language. Notes not yet in the catalogs
// carry their English text in Msg instead (Says nil).
type Note struct {
	Kind string           `json:"kind"`
	Path string           `json:"path,omitempty"`
	Line int              `json:"line,omitempty"`
	Msg  string           `json:"message,omitempty"`
	Says *message.Message `json:"says,omitempty"`
}
