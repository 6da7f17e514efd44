// Package ecosystem reads PM2 ecosystem files statically.
//
// An ecosystem file comes from a pull request: it is untrusted code. This
// package never executes it. JavaScript flavours (CommonJS, ESM, TypeScript)
// are parsed into a syntax tree and only literal-like expressions are
// resolved, with the file's own helpers applied to them (`list.map(fn)`,
// a function returning an app object, Object.keys, String, Number: see
// funcs.go); JSON (which PM2 evaluates as a JavaScript expression) and YAML
// are decoded. Whatever cannot be resolved statically is kept as a Dynamic
// value with its source text, never guessed.
package ecosystem

import "fmt"

// Format is the syntax an ecosystem file is written in.
type Format string

// Formats PM2 knows about (docs/pm2-behaviour.md#config-file-names), plus TypeScript, which PM2 does not
// load as a config file but which repositories still contain.
const (
	FormatJS   Format = "js"   // *.config.js: CommonJS, or ESM in a "type": "module" package
	FormatCJS  Format = "cjs"  // *.config.cjs
	FormatMJS  Format = "mjs"  // *.config.mjs
	FormatTS   Format = "ts"   // *.ts: never loaded by PM2 as a config file
	FormatJSON Format = "json" // any name containing .json: evaluated as a JavaScript expression
	FormatYAML Format = "yaml" // .yml / .yaml
)

// Kind is the kind of a statically resolved value.
type Kind string

// Value kinds. Dynamic means the value depends on something only known at
// run time (a function call, an unknown variable, process.env without a
// default...); its Source holds the expression text.
const (
	KindString    Kind = "string"
	KindNumber    Kind = "number"
	KindBool      Kind = "bool"
	KindNull      Kind = "null"
	KindUndefined Kind = "undefined"
	KindArray     Kind = "array"
	KindObject    Kind = "object"
	KindDynamic   Kind = "dynamic"
)

// Value is one statically resolved value with its position.
type Value struct {
	Kind   Kind
	Str    string  // KindString
	Num    float64 // KindNumber
	Bool   bool    // KindBool
	Items  []Value // KindArray
	Fields []Field // KindObject, in source order
	// Source is the expression's source text as written (always set for
	// KindDynamic; set for other kinds when available). Secret values have
	// it replaced by a mask.
	Source string
	// Line is the 1-based line of the value in the file: where the
	// literal is written (for a value reached through a binding such as
	// `port: PORT`, the line of PORT's literal).
	Line int
	// EndLine is the line where an object or array literal ends (0 for
	// other kinds).
	EndLine int
	// Secret is true when the value was masked because its key names a
	// secret (password, token, key...) or it has the shape of a
	// credential. Str and Source then hold the mask (Num is zeroed): check
	// Secret before printing a value.
	Secret bool
	// Env names the environment variable the value depends on:
	// `process.env.X || d` and `process.env.X ?? d` resolve to d with
	// Env "X"; `process.env.X` alone is KindDynamic with Env "X".
	Env string
	// RepoPath is true when Str is a repository-relative, slash-separated
	// path computed from the config file's directory (`__dirname`,
	// `path.join(__dirname, ...)`, `${__dirname}/x`).
	RepoPath bool

	reason string // why the value is dynamic, for File.Unresolved
}

// Field is one key of an object literal.
type Field struct {
	Key   string
	Value Value
	// Line is the 1-based line where the key is written.
	Line int
	// Spread is true when the field came from an object spread (`...base`).
	// A spread of something that cannot be resolved is kept as one field
	// with Key "..." and a KindDynamic value: such an object may hold
	// more options than Fields shows.
	Spread bool
}

// App is one entry of the apps array.
type App struct {
	// Index is the position in the apps array.
	Index int
	// Name is the resolved `name` option, or "" when absent or dynamic.
	Name string
	// Line is the line where the app's object literal starts.
	Line int
	// EndLine is the line where the app's object literal ends.
	EndLine int
	// Fields are the app's options in source order, spreads resolved.
	Fields []Field
	// Dynamic is true when the app entry itself could not be resolved
	// (e.g. a function call). Fields is then empty and Source set.
	Dynamic bool
	Source  string
}

// Get returns the field named key (exact spelling), and whether it exists.
// When a key is written twice the last one wins, as in JavaScript.
func (a *App) Get(key string) (Field, bool) {
	for i := len(a.Fields) - 1; i >= 0; i-- {
		if a.Fields[i].Key == key {
			return a.Fields[i], true
		}
	}
	return Field{}, false
}

// Module describes how the file exports its configuration.
type Module struct {
	// ModuleExports: `module.exports = ...` or `exports.apps = ...`.
	ModuleExports bool
	// ExportDefault: `export default ...` (ESM). PM2 ignores `default`
	// (docs/pm2-behaviour.md#config-file-names): the file yields "No script path - aborting".
	ExportDefault bool
	// ExportNamedApps: `export const apps = [...]` (ESM).
	ExportNamedApps bool
	// ExportLine is the line of the export statement.
	ExportLine int
}

// DeployHook is one command of the file's deploy section
// (`deploy.production['post-deploy']`), which `pm2 deploy` runs on the
// server (pre-deploy-local on the machine that deploys).
type DeployHook struct {
	// Target is the deploy target's key, e.g. "production".
	Target string
	// Hook is pre-setup, post-setup, pre-deploy-local, pre-deploy or
	// post-deploy.
	Hook string
	// Command is the shell command (masked when it holds a secret); the
	// expression's source when Dynamic.
	Command string
	Line    int
	Dynamic bool
}

// File is a parsed ecosystem file.
type File struct {
	Path   string
	Format Format
	// Loadable is true when PM2 would read the file as a config by its name
	// (docs/pm2-behaviour.md#config-file-names: .config.js/.cjs/.mjs, .json, .yml/.yaml). An
	// `ecosystem.js` is not loadable: `pm2 start ecosystem.js` runs it.
	Loadable bool
	Module   Module
	// Apps are the entries of the apps array (config.apps, else config.pm2,
	// else the exported object itself, wrapped in an array when needed).
	Apps []App
	// Deploy are the commands of the deploy section, in source order.
	Deploy []DeployHook
	// AppsLine is the line of the apps array (0 when not found).
	AppsLine int
	// AppsKey is the key the apps came from: "apps", "pm2", or "" when
	// the exported value itself is the app list (docs/pm2-behaviour.md#esm-config).
	AppsKey string
	// AppsDynamic is true when the apps list itself is not statically known.
	AppsDynamic bool
	// Unresolved lists expressions kept as dynamic, for the report's
	// "what the engine could not know" notes.
	Unresolved []Unresolved
	// Lines is the number of lines of the file.
	Lines int
	// Encoding is set when the file is not UTF-8 and was decoded by the
	// Latin-1 fallback; nil for UTF-8.
	Encoding *Encoding
}

// Encoding says how a file that is not UTF-8 was decoded.
type Encoding struct {
	// Name is "latin1" (ISO-8859-1).
	Name string
	// Line and Column locate the first byte that is not UTF-8.
	Line, Column int
}

// Unresolved is an expression that could not be resolved statically.
type Unresolved struct {
	Line   int
	Source string
	Reason string
}

// ParseError is returned when the file cannot be read as an ecosystem
// file at all (syntax error, too large, not UTF-8...).
type ParseError struct {
	Path string
	// Kind tells a file PM2 cannot load either (KindSyntax, KindBinary)
	// from one auditbot did not read (KindSize, KindLimit: PM2 may well
	// load it).
	Kind   ErrorKind
	Line   int // 0 when unknown
	Column int
	Msg    string
}

// ErrorKind classifies a ParseError.
type ErrorKind string

// Kinds of ParseError.
const (
	// KindSyntax is a syntax error (the zero value): node and PM2 refuse
	// the file too.
	KindSyntax ErrorKind = ""
	// KindBinary is content that is no text in any encoding (NUL bytes).
	KindBinary ErrorKind = "binary"
	// KindSize is a file over MaxFileSize.
	KindSize ErrorKind = "size"
	// KindLimit is input beyond one of the parser's other limits (depth,
	// brackets, elements, values) or a cancelled parse.
	KindLimit ErrorKind = "limit"
)

// Unread reports whether the file was not read because of one of
// auditbot's own limits, which says nothing of whether PM2 loads it.
func (e *ParseError) Unread() bool { return e.Kind == KindSize || e.Kind == KindLimit }

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}
