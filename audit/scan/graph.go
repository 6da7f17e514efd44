package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// DefaultMaxGraphFiles bounds the files a module graph walk reads.
const DefaultMaxGraphFiles = 5000

// GraphOptions bound a module graph walk. Zero values mean the defaults.
type GraphOptions struct {
	// MaxFiles caps the files read (default DefaultMaxGraphFiles).
	// Reaching it sets Graph.Truncated with Limit LimitMaxFiles.
	MaxFiles int
	// MaxFileSize caps the bytes read from one file (default
	// DefaultMaxFileSize); a bigger file is not read and the graph is
	// truncated (LimitMaxFileSize): its loads are unknown.
	MaxFileSize int64
}

// Graph is the code an entry script runs: the files reached from it by
// the modules each loads, as Node resolves relative specifiers.
type Graph struct {
	// Entry is the entry script's path.
	Entry string
	// Files are the source files reached, the entry included, sorted.
	Files []string
	// Evidence is what File finds in Files, sorted; every piece is the
	// code the entry runs.
	Evidence []Evidence
	// Computed are the loads whose specifier is decided at run time and
	// that have no static directory prefix to follow: the graph may miss
	// the files they load. Path is the file that loads.
	Computed []At
	// Contexts are the directories read whole for a computed load with a
	// static directory prefix (require('./routes/' + name) reads
	// routes/), as bundlers do.
	Contexts []string
	// Unknown are loads of bare specifiers that name no dependency of the
	// package.json files above the loading file and no Node built-in:
	// path aliases (@/lib, ~/x, #db, src/util with a baseUrl) that
	// tsconfig, a bundler or package.json "imports" map to files the
	// graph cannot follow. The graph is then not complete.
	Unknown []At
	// Missing are relative loads that resolve to no file of the
	// repository (or only through a symbolic link, or outside it).
	Missing []At
	// Truncated is true when a limit stopped the walk; Limit says which.
	Truncated bool
	Limit     string
}

// At is a load and the file that makes it.
type At struct {
	Path string
	Load
}

// Complete reports whether the graph holds every file the entry can load
// from the repository: no computed load without a prefix, no limit hit.
func (g *Graph) Complete() bool {
	return len(g.Computed) == 0 && len(g.Unknown) == 0 && !g.Truncated
}

// Has reports whether p is one of the graph's files.
func (g *Graph) Has(p string) bool {
	_, ok := slices.BinarySearch(g.Files, p)
	return ok
}

// resolveExts are the extensions tried, in order, after a specifier
// without its own: Node's (.js .json .node) and then those of TypeScript
// and ESM sources that loaders such as ts-node, tsx and bundlers add.
var resolveExts = []string{".js", ".json", ".node", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".jsx"}

// tsSources maps the extension a TypeScript ESM import writes to those of
// the source it names (import './a.js' loads a.ts under tsc and tsx).
var tsSources = map[string][]string{".js": {".ts", ".tsx"}, ".mjs": {".mts"}, ".cjs": {".cts"}, ".jsx": {".tsx"}}

// ModuleGraph walks the module graph of the entry script entry (a path
// of fsys, whose root is the repository root): from the entry, every
// require, import, export-from and import() of a relative specifier
// ('./x', '../lib/y') written as a string is resolved the way Node does
// (the file, then the file with .js, .json, .node, then TypeScript and ESM
// extensions, then a directory's package.json "main" and index file) and
// read in turn, once, cycles included. Bare specifiers (packages,
// node:fs) are not followed. A specifier is never resolved outside the
// repository, through a symbolic link, or from an absolute path. The
// entry is read as source whatever its name (bin/www).
//
// A computed load with a static directory prefix (require('./routes/' +
// name), import(`./jobs/${job}.js`)) reads every source file under that
// directory, as bundlers do; one without (require(name)) is listed in
// Computed, and the graph is then not complete.
//
// Errors: an entry that is missing, not a regular file or not a valid
// path; an unreadable file; ctx being done. Limits set Truncated.
func ModuleGraph(ctx context.Context, fsys fs.FS, entry string, opts GraphOptions) (*Graph, error) {
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = DefaultMaxGraphFiles
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	w := &graphWalk{fsys: fsys, opts: opts, g: &Graph{Entry: entry}, seen: map[string]bool{}, dirs: map[string]bool{},
		deps: map[string]map[string]bool{}}
	if !fs.ValidPath(entry) || !w.regular(entry) {
		return nil, fmt.Errorf("module graph of %q: not a regular file of the repository", entry)
	}
	w.queue = append(w.queue, entry)
	w.seen[entry] = true
	var res Result
	for len(w.queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := w.queue[0]
		w.queue = w.queue[1:]
		if len(w.g.Files) >= opts.MaxFiles {
			res.addLimit(LimitMaxFiles)
			break
		}
		if err := w.read(p, &res); err != nil {
			return nil, err
		}
	}
	if w.full {
		res.addLimit(LimitMaxFiles)
	}
	w.g.Truncated, w.g.Limit = res.Truncated, res.Limit
	slices.Sort(w.g.Files)
	slices.Sort(w.g.Contexts)
	w.g.Evidence = sortEvidence(w.g.Evidence)
	return w.g, nil
}

type graphWalk struct {
	fsys  fs.FS
	opts  GraphOptions
	g     *Graph
	seen  map[string]bool // files queued
	dirs  map[string]bool // directory -> reached without a symbolic link
	queue []string
	full  bool                       // a directory read for a computed load hit MaxFiles
	deps  map[string]map[string]bool // directory -> dependencies declared at or above it; nil: no package.json
	fs    fileScanner
}

// read scans one file of the graph and queues what it loads.
func (w *graphWalk) read(p string, res *Result) error {
	st, err := fs.Stat(w.fsys, p)
	if err != nil {
		return fmt.Errorf("module graph: stat %s: %w", p, err)
	}
	if st.Size() > w.opts.MaxFileSize {
		res.addLimit(LimitMaxFileSize)
		return nil
	}
	src, err := fs.ReadFile(w.fsys, p)
	if err != nil {
		return fmt.Errorf("module graph: read %s: %w", p, err)
	}
	w.g.Files = append(w.g.Files, p)
	if i := slices.Index(src[:min(len(src), 8000)], 0); i >= 0 {
		return nil // binary: no code to read
	}
	var loads []Load
	if !mayLoad(src) {
		w.g.Evidence = append(w.g.Evidence, w.fs.file(p, src, false)...)
	} else {
		w.g.Evidence = append(w.g.Evidence, w.fs.scanAll(p, src, false)...)
		loads = w.fs.loads()
	}
	dir := path.Dir(p)
	for _, l := range loads {
		if l.Computed {
			w.computed(p, dir, l)
			continue
		}
		if !relative(l.Spec) {
			if !w.known(dir, l.Spec) {
				w.g.Unknown = append(w.g.Unknown, At{Path: p, Load: l})
			}
			continue // a package, a node: builtin, an absolute path
		}
		t, ok := w.resolve(dir, l.Spec)
		if !ok {
			w.g.Missing = append(w.g.Missing, At{Path: p, Load: l})
			continue
		}
		w.add(t)
	}
	return nil
}

// add queues a resolved file whose code is read: sources, and files
// without an extension (read as CommonJS, as Node does).
func (w *graphWalk) add(t string) {
	if w.seen[t] {
		return
	}
	if !IsSource(t) && path.Ext(t) != "" {
		return // .json, .node: no code to follow
	}
	w.seen[t] = true
	w.queue = append(w.queue, t)
}

// computed handles a load decided at run time: with a static prefix that
// names a directory of the repository, every source file under it is
// read; otherwise the load is listed in Computed.
func (w *graphWalk) computed(p, dir string, l Load) {
	prefix := l.Spec
	i := strings.LastIndexByte(prefix, '/')
	if !relative(prefix) || i < 0 {
		w.g.Computed = append(w.g.Computed, At{Path: p, Load: l})
		return
	}
	ctxDir := path.Join(dir, prefix[:i])
	if !inside(ctxDir) || !w.dirOK(ctxDir) {
		w.g.Computed = append(w.g.Computed, At{Path: p, Load: l})
		return
	}
	if !slices.Contains(w.g.Contexts, ctxDir) {
		w.g.Contexts = append(w.g.Contexts, ctxDir)
	}
	_ = fs.WalkDir(w.fsys, ctxDir, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		if d.IsDir() {
			if q != ctxDir && ignoredDirs[d.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		if len(w.seen) > w.opts.MaxFiles {
			w.full = true
			return fs.SkipAll
		}
		if d.Type().IsRegular() && IsSource(q) && !isMinified(d.Name()) {
			w.add(q)
		}
		return nil
	})
}

// relative reports whether a specifier is relative to the loading file.
func relative(spec string) bool {
	return spec == "." || spec == ".." || strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../")
}

// inside reports whether a cleaned path stays in the repository.
func inside(p string) bool {
	return p != ".." && !strings.HasPrefix(p, "../") && !path.IsAbs(p)
}

// resolve finds the file a relative specifier names from dir, as Node's
// require.resolve does (LOAD_AS_FILE, then LOAD_AS_DIRECTORY), with the
// TypeScript and ESM extensions after Node's own.
func (w *graphWalk) resolve(dir, spec string) (string, bool) {
	spec, _, _ = strings.Cut(spec, "?") // import './x.js?v=2'
	x := path.Join(dir, spec)
	if !inside(x) {
		return "", false
	}
	if !strings.HasSuffix(spec, "/") {
		if t, ok := w.asFile(x); ok {
			return t, true
		}
	}
	return w.asDir(x, 0)
}

func (w *graphWalk) asFile(x string) (string, bool) {
	if w.regular(x) {
		return x, true
	}
	for _, e := range resolveExts {
		if w.regular(x + e) {
			return x + e, true
		}
	}
	ext := path.Ext(x)
	for _, e := range tsSources[ext] {
		if t := strings.TrimSuffix(x, ext) + e; w.regular(t) {
			return t, true
		}
	}
	return "", false
}

// asDir resolves a directory: its package.json "main", then its index.
func (w *graphWalk) asDir(x string, depth int) (string, bool) {
	if !w.dirOK(x) {
		return "", false
	}
	pkg := path.Join(x, "package.json")
	if depth < 2 && w.regular(pkg) {
		if b, err := fs.ReadFile(w.fsys, pkg); err == nil && len(b) <= 1<<20 {
			var meta struct {
				Main string `json:"main"`
			}
			if json.Unmarshal(b, &meta) == nil && meta.Main != "" {
				m := path.Join(x, meta.Main)
				if inside(m) {
					if t, ok := w.asFile(m); ok {
						return t, true
					}
					if t, ok := w.asDir(m, depth+1); ok {
						return t, true
					}
				}
			}
		}
	}
	for _, e := range resolveExts {
		if t := path.Join(x, "index"+e); w.regular(t) {
			return t, true
		}
	}
	return "", false
}

// regular reports whether p is a regular file reached without a symbolic
// link.
func (w *graphWalk) regular(p string) bool {
	if !w.dirOK(path.Dir(p)) {
		return false
	}
	st, err := fs.Lstat(w.fsys, p)
	return err == nil && st.Mode().IsRegular()
}

// dirOK reports whether the directory d exists and no component of it is
// a symbolic link.
func (w *graphWalk) dirOK(d string) bool {
	if d == "." {
		return true
	}
	if ok, seen := w.dirs[d]; seen {
		return ok
	}
	ok := w.dirOK(path.Dir(d))
	if ok {
		st, err := fs.Lstat(w.fsys, d)
		ok = err == nil && st.IsDir() && st.Mode()&fs.ModeSymlink == 0
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			ok = false
		}
	}
	w.dirs[d] = ok
	return ok
}

// known reports whether a bare specifier names something Node finds
// without the repository's help: a built-in (fs, node:fs), or a package
// the package.json files at or above dir declare. Absolute paths and
// URLs are known too (never followed). Without any package.json above
// dir nothing can be told, and the specifier counts as known.
func (w *graphWalk) known(dir, spec string) bool {
	if spec == "" || path.IsAbs(spec) || strings.Contains(spec, ":") {
		return true // /abs, node:fs, data:, file:, https:
	}
	name := spec
	parts := strings.SplitN(spec, "/", 3)
	switch {
	case strings.HasPrefix(spec, "@") && len(parts) >= 2:
		name = parts[0] + "/" + parts[1]
	default:
		name = parts[0]
	}
	if nodeBuiltins[name] {
		return true
	}
	deps := w.depsAt(dir)
	return deps == nil || deps[name]
}

// depsAt returns the dependencies declared by the package.json files at
// and above dir (all of them: a workspace's root declares shared ones),
// nil when there is none.
func (w *graphWalk) depsAt(dir string) map[string]bool {
	if d, ok := w.deps[dir]; ok {
		return d
	}
	var parent map[string]bool
	if dir != "." {
		parent = w.depsAt(path.Dir(dir))
	}
	out := parent
	pkg := path.Join(dir, "package.json")
	if w.regular(pkg) {
		if b, err := fs.ReadFile(w.fsys, pkg); err == nil && len(b) <= 1<<20 {
			var meta struct {
				Name                 string            `json:"name"`
				Dependencies         map[string]string `json:"dependencies"`
				DevDependencies      map[string]string `json:"devDependencies"`
				PeerDependencies     map[string]string `json:"peerDependencies"`
				OptionalDependencies map[string]string `json:"optionalDependencies"`
				BundledDependencies  []string          `json:"bundledDependencies"`
			}
			if json.Unmarshal(b, &meta) == nil {
				out = map[string]bool{}
				for k := range parent {
					out[k] = true
				}
				if meta.Name != "" {
					out[meta.Name] = true // a package may load itself by name
				}
				for _, m := range []map[string]string{meta.Dependencies, meta.DevDependencies, meta.PeerDependencies, meta.OptionalDependencies} {
					for k := range m {
						out[k] = true
					}
				}
				for _, k := range meta.BundledDependencies {
					out[k] = true
				}
			}
		}
	}
	w.deps[dir] = out
	return out
}

// nodeBuiltins are the modules Node provides (module.builtinModules of
// Node 20, without the node: prefix).
var nodeBuiltins = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`assert async_hooks buffer child_process cluster console constants crypto
		dgram diagnostics_channel dns domain events fs http http2 https inspector module net os path
		perf_hooks process punycode querystring readline repl stream string_decoder sys timers tls
		trace_events tty url util v8 vm wasi worker_threads zlib test sea sqlite`) {
		m[n] = true
	}
	return m
}()
