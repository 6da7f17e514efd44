// Package rule decides what is true about a PM2 configuration: each rule
// reads the model of one revision (ecosystem files, their apps, the
// services they run and what the source scan found) and returns findings.
//
// One rule lives in one file, rule_<name>.go, and registers itself in
// All. A finding carries no words: its typed arguments (Finding.Args,
// audit/message) and what it is about (Finding.About); the rule texts
// (title, description, remediation, message) live with the report's words,
// one file per language (report/templates/<lang>/rules.yaml).
package rule

import (
	"io/fs"

	"github.com/auditbot/auditbot/audit/message"
	"strconv"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// Severity of a finding.
type Severity string

// Severities, from most to least severe.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, unknown 0.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// Meta is what a rule is, as data: docs and reports are generated from it.
type Meta struct {
	// ID is stable and kebab-case; it never changes once released.
	ID       string
	Severity Severity
	// Behaviours are the IDs of the PM2 behaviours the rule relies on
	// (pm2.Behaviours, the anchors of docs/pm2-behaviour.md), e.g.
	// "kill-signal". A rule that claims nothing about PM2 has none.
	Behaviours []string
	// Docs is the PM2 documentation page for the behaviour.
	Docs string
	// Proof names the integration case that shows the behaviour on a real
	// PM2 (a directory under testdata/pm2), or "" when the rule claims no
	// runtime behaviour.
	Proof string
}

// Rule checks one revision.
type Rule interface {
	Meta() Meta
	Check(in *Input) []Finding
}

// Input is the model of one revision that rules read.
type Input struct {
	// FS is the repository tree at this revision. Paths are
	// slash-separated and relative to the root; it never reaches outside
	// the repository (no symlinks are followed).
	FS fs.FS
	// Files are the ecosystem files considered at this revision.
	Files []*ecosystem.File
	// Broken are the candidate ecosystem files that could not be parsed.
	Broken []*ecosystem.ParseError
	// NoApps are files named as ecosystem files that parse, but whose
	// export is an object with no apps list and no script (`app:` for
	// `apps:`): PM2 takes the object itself as the only app.
	NoApps []*ecosystem.File
	// Deleted are the ecosystem files the change deletes (head input
	// only), each with the names of its apps that no ecosystem file
	// declares at head.
	Deleted []Deleted
	// Apps are every app of every file, with the service it runs.
	Apps []*App
}

// App is one app of one ecosystem file, with its resolved service.
type App struct {
	File *ecosystem.File
	App  *ecosystem.App
	// PM2 is the app as PM2 resolves it (pm2.Resolve: script, bash -c,
	// interpreter, exec mode, instances, cwd, node_args, each known or
	// not), once, by the engine: rules read it rather than the options.
	PM2 pm2.App
	// Service is nil when the app's script could not be placed in the
	// repository (dynamic script, absolute path with no match...).
	Service *Service
}

// Name is the app's name, or "<file>#<index>" when it has none.
func (a *App) Name() string {
	if a.App.Name != "" {
		return a.App.Name
	}
	return a.File.Path + "#" + strconv.Itoa(a.App.Index)
}

// Service is where an app's code lives in the repository.
type Service struct {
	// Dir is the service directory (cwd mapped into the repository),
	// slash-separated, relative to the root, "." for the root.
	Dir string
	// ScriptPath is the path in the repository of the app's script
	// (App.PM2.Script), "" when it is not a path (npm start, dynamic).
	ScriptPath string
	// ScriptExists says whether ScriptPath is a regular file in the tree.
	ScriptExists bool
	// UnknownCwd is set when the app has no cwd, nothing in the
	// repository says where pm2 is started, and the script is missing
	// from the config's directory (UnknownCwd is that path) but found
	// from the repository root (ScriptPath): which one PM2 finds depends
	// on the shell's directory (docs/pm2-behaviour.md#relative-paths).
	UnknownCwd string
	// BuildOutput is true when a missing ScriptPath lies in a build output
	// directory (dist/, build/...) of a package that builds it (a "build"
	// script or a tsconfig.json): it is produced at deploy time, not
	// committed, and its sources were scanned instead.
	BuildOutput bool
	// PackageType is the "type" of the nearest package.json ("module",
	// "commonjs" or "").
	PackageType string
	// Env are the values the repository gives each environment variable
	// for the app: its config's env and env_* blocks, the ENV of a
	// Dockerfile at the root or beside the config, and VAR=value in the
	// package.json scripts there. EnvUnknown marks variables one of
	// whose values is not static. Guarded handshakes are decided from them.
	Env        map[string][]string
	EnvUnknown map[string]bool
	// Scan is what the source scan found; nil when the service was not
	// scanned (no directory in the repository).
	Scan *scan.Result
	// Note explains a resolution problem (cwd outside the repository...).
	Note string
}

// Finding is one problem found by a rule at one revision.
type Finding struct {
	Rule     string
	Severity Severity
	Path     string
	Line     int
	App      string
	// Option is the PM2 option the finding is about, if any.
	Option string
	// Key distinguishes two findings of one rule on the same app and
	// option (e.g. the signal name); it is part of the identity used to
	// match findings across revisions.
	Key string
	// Args are the finding's typed values: the report fills the rule's
	// texts in the reader's language with them
	// (report/templates/<lang>/rules.yaml).
	Args message.Args
	// About is what the report needs to know of the finding beyond its
	// message (its subject, the package manager, the listen_timeout).
	About About
	// Evidence backs the finding: file:line in code, comments, docs.
	Evidence []scan.Evidence
}

// Identity is what makes two findings at different revisions "the same":
// rule, file, app, option and key. Lines are not part of it, since the
// change moves them.
func (f *Finding) Identity() string {
	return f.Rule + "\x00" + f.Path + "\x00" + f.App + "\x00" + f.Option + "\x00" + f.Key
}

// Deleted is an ecosystem file deleted by the change: File is its model at
// base, Gone the names of its apps that no file declares at head.
type Deleted struct {
	File *ecosystem.File
	Gone []string
}
