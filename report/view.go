package report

import (
	"github.com/auditbot/auditbot/audit"
)

// view is everything the templates show, computed from the Document.
// Raw repository values (string fields) are escaped by the template
// functions; fields of type md hold Markdown already made safe in Go or
// our own text (safe.go).
type view struct {
	Lang    string
	Date    md
	Version string
	Base    audit.Commit
	Head    audit.Commit
	Type    string
	Verdict string
	Large   bool
	Scope   []string
	// ScopeOnly: the changed files are the scope, each modified in
	// place (a list of the changed files would say nothing more).
	ScopeOnly bool
	Changed   []audit.ChangedFile
	Apps      []string
	TitleApps []string
	MoreApps  int
	TopicKeys []string
	Summary   audit.Summary
	Notes     []noteView
	Truncated md
	// Comment is Options.Comment with a repository URL; CompareURL is the
	// change's diff on GitHub then.
	Comment    bool
	CompareURL md
	// Root is the directory every path of the report is under ("." when
	// none is common); prose shows paths relative to it (rel).
	Root string

	// Introduced, Fixed and Unchanged are the finding rows by state, in
	// that order: the first screen lists the first two.
	IntroducedRows, FixedRows, UnchangedRows []findingRow
	// UnchangedBySev counts the unchanged ids by severity.
	UnchangedBySev map[string]int
	// Counts counts the ids of every finding, shown or not.
	Counts idCounts

	Findings    []findingView
	FindingRows []findingRow
	// FindingsHidden is the number of ids left out by the list limit.
	FindingsHidden int
	// RuleCounts are the ids of each rule by state.
	RuleCounts []ruleCount

	Objectives    []objective
	Fixes         []findingRow
	Introductions []findingRow
	OptionChanges []optChangeView
	// OptionTable shows OptionChanges as a table: when the objectives do
	// not say it all (several apps, or lists cut short).
	OptionTable bool
	Kept        []keptGroup

	GrepGit    string
	GrepPlain  string
	ConfigHits []configHit
	// ConfigHitsInContext: in a comment, the hits on lines the change
	// touches are not listed, section 1.1 names them.
	ConfigHitsInContext bool
	Broken              []audit.Position
	DocHits             []docHit
	Sources             []sourceView
	Excerpts            bool // some source has a code excerpt
	Interp              []interpView

	Hunks   []hunkFile
	Justif  []justRow
	Refs    []docRef
	Impacts []impactRow
	Risky   []findingView
	// RiskyIDs are the rows of Risky.
	RiskyIDs []string

	Canon []canonFile

	Proc []procView
	// Apply is the one command per app that applies the change on a
	// running server (first screen); ApplyRestartNote is set when one of
	// them deletes the app because pm2 restart would not read the file.
	Apply            []string
	ApplyRestartNote bool
	// ApplyNoOnly are the apps no --only selects (procView.NoOnly): Apply
	// has no command for them.
	ApplyNoOnly []string
	Deleted     []string
	// DeployWarn are deploy hooks of the changed files that would keep
	// the options this change removes (docs/pm2-behaviour.md#file-commands-keep-removed-keys).
	DeployWarn []deployWarning

	Risks              []riskRow
	RollbackConditions []md
	Rollback           rollbackView

	Twins   []twinView
	Helpers []helperView

	NextSteps []nextStep
	RefFiles  []refFile
	// Links are the link destinations of RefFiles by path.
	Links   map[string]md
	Related []refFile
}

// findingRow is the findings of one rule, state and app, in one line of a
// table or list: the rule's title and every location; the messages are in
// the detail list.
type findingRow struct {
	// ID is the row's short name (H1, F1...) by which the other sections
	// refer to it: each finding is said once.
	ID                         md
	Rule, Severity, State, App string
	// DetailIn names the section that shows this row's findings in
	// full (a twin pair's table): the findings list then points there
	// instead of repeating it.
	DetailIn  string
	Title     string
	JustifyMD md       // set for the rows of section 1
	Locs      []string // path:line
	Items     []findingView
	// Said are the row's messages, each said once: findings whose
	// messages differ only in numbers share one (numbers joined by " / ").
	Said []saidMessage
}

type ruleCount struct {
	Rule, Severity               string
	Introduced, Unchanged, Fixed int
	Title                        string
}

type objective struct {
	Change string // removed, added, changed
	Key    string
	Items  []objItem
	More   int // items not shown
}

type objItem struct {
	File, App     string
	Before, After string
	Line          int
}

type optChangeView struct {
	File, App, Key, Change string
	Before, After          string
	BeforeLine, AfterLine  int
}

type keptGroup struct {
	Group string
	Items []keptItem
}

type keptItem struct {
	Key    string
	Values []keptValue
	// Distinct is the number of distinct values when there are too many
	// to list (Values is then empty).
	Distinct int
}

type keptValue struct {
	Value string
	Files []string
}

type configHit struct {
	Path, Rev, SHA string
	Lines          string
	Items          []string // "key: value"
	Change         string
}

type docHit struct {
	Path    string
	Dest    md // the link to it (a comment links it here, not in section 11)
	Lines   string
	Options []string
}

type sourceView struct {
	Dir       string
	Apps      []string
	Scanned   int
	Note      string
	Handshake []audit.Evidence
	Worker    []audit.Evidence // cluster.worker.send('ready'): the handshake in cluster mode only
	Possible  []audit.Evidence // process.send with a message decided at run time
	Tests     []audit.Evidence // handshakes and shutdown handlers found only in tests
	Mentions  []audit.Evidence
	// WaitReady is true when an app of the service sets wait_ready at
	// either revision: a missing handshake is then a problem, not a fact.
	WaitReady  bool
	Signals    []audit.Evidence
	ShutdownMs []audit.Evidence
	Listen     []audit.Evidence
	Close      []audit.Evidence
	Routes     []audit.Evidence
	Ports      []audit.Evidence
	// Excerpts show the lines the scan found (listen, ready handshake,
	// signal handlers, server close), one per file: not the surrounding
	// code, which the Document does not hold.
	Excerpts []codeExcerpt
}

// codeExcerpt is the lines found in one source file, as one fenced block:
// each run of consecutive lines labelled with path:line, runs separated by
// a comment marking the omitted lines.
type codeExcerpt struct {
	Path  string
	Lang  string
	Lines string // line ranges, e.g. "23, 34, 37-38"
	Code  string
	More  int // lines found but not shown
}

type interpView struct {
	Eco, App string
	// ScriptDoubt: a script-not-found finding remains for the app (a
	// warning when the directory pm2 runs in is unknown): no ✅.
	ScriptDoubt bool
	// Ecos are the files that run the app this same way (Eco first);
	// NodeArgsList the node_args of each, which may differ.
	Ecos          []string
	NodeArgsList  []nodeArgsView
	Script        string
	ScriptExists  bool
	ScriptPath    string
	NoScript      bool // the app has no script option
	ScriptDynamic bool // script is computed at run time
	BuildOutput   bool // the missing script is built at deploy time
	Interpreter   string
	IsNode        bool
	ViaShell      bool
	NodeArgs      string
	NodeArgsKey   string // node_args, interpreter_args or interpreterArgs, as written
	HasNodeArgs   bool
	// NodeArgsEffect is what becomes of node_args: "node" (they reach
	// node), "crash" (a non-Node interpreter rejects them), "ignored"
	// (interpreter none), "interp" (flags for that interpreter).
	NodeArgsEffect string
	// PackageManager is npm, yarn or pnpm when the script is one: the
	// code then runs in a child of it (pm2.PackageManager).
	PackageManager string
	Mode           string
	Instances      int
}

type hunkFile struct {
	More   int // blocks not shown
	Source bool
	Path   string
	Lang   string
	Blocks []hunkBlock
}

type hunkBlock struct {
	Old, New      string // line ranges
	Before, After string
}

type justRow struct {
	change  string
	Option  string // "key: value"
	Purpose string
	StateMD md
	Action  md
}

type docRef struct {
	Title, URL string
}

type impactRow struct {
	ID                md
	Title             string
	BeforeMD, AfterMD md
}

type canonFile struct {
	Link   md  // the file after the change, in a comment
	More   int // apps not shown
	Path   string
	Twins  []string
	Code   string
	Broken bool
	Apps   []canonApp
}

type canonApp struct {
	App        string
	Principles []principleRow
}

type principleRow struct {
	Name, Why string
	Config    []string // key: value of each option it is about
	Keys      []string // those options' keys
}

type procView struct {
	Blocked        bool // its file cannot be parsed at head
	App, Dir, File string
	DefaultFile    bool
	Envs           []string
	// Env is the --env the repository starts the file with (its deploy
	// hooks), "" when none.
	Env string
	// OtherEnvs are the file's other env_<name> blocks.
	OtherEnvs []string
	// Cmd is the one command that applies the change to the running app.
	Cmd        string
	Apply      string // delete-start, start, restart, reload
	Port       string
	PortSource string
	Health     []string
	Exists     bool // the app ran at base
	// NoOnly says no --only selects the app: PM2 splits its value at
	// commas and spaces, and the name has one (pm2.OnlySplits). Cmd is
	// then "" and WholeFile is what starts it: the whole file, every
	// other app of it too.
	NoOnly    bool
	WholeFile string
}

type riskRow struct {
	Risk, Probability, Impact, Mitigation string
}

type rollbackView struct {
	BaseSHA, HeadSHA string
	Checkout         []string
	Remove           []string
	EmptyBase        bool
	// SingleCommit is true when the head's only parent is the base: `git
	// revert <head>` then undoes exactly the audited change.
	SingleCommit bool
	Apps         []procView
}

type twinView struct {
	A, B        string
	IDs         []string // rows of the findings about this pair
	Default     string
	Rows        []twinRow
	Missing     string // a twin not among the audited files
	SameOptions bool
}

type twinRow struct {
	Key, A, B string
	Removed   bool
}

type refFile struct {
	Path string
	Dest md // escaped link destination
}

// limits bound the lists of a large document.
type limits struct {
	findings int // rows of the findings table; <0 = all
	list     int // items of other long lists; <0 = all
}

func capped[T any](s []T, n int) []T {
	if n < 0 || len(s) <= n {
		return s
	}
	return s[:n]
}

// large tells whether a document needs its summaries first and its
// details folded.
func large(doc *audit.Document) bool {
	apps := 0
	for i := range doc.Ecosystems {
		apps += len(headApps(&doc.Ecosystems[i]))
	}
	return len(doc.Findings) > 40 || apps > 20 || len(doc.Changed) > 40
}

// helperView is a helper script of section 8: the finding's row id (its
// message is in the findings list) and the script's lines.
type helperView struct {
	ID       md
	Path     string // the script, or the finding's file
	Evidence []audit.Evidence
}

// nodeArgsView is the node_args of one file's app and what becomes of
// them.
type nodeArgsView struct {
	Eco, Key, Args, Effect string
}

// saidMessage is one message of a findings row and where it applies.
type saidMessage struct {
	Locs    []string
	Message string
}
