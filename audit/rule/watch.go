package rule

import (
	"path"
	"regexp"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
)

// What PM2's file watcher sees (docs/pm2-behaviour.md#watch, lib/Watcher.js:21-89): chokidar
// on `watch` paths relative to the app's cwd (`watch: true` or `[]` is
// the cwd itself), ignoring `ignore_watch`, or by default dotfiles and
// node_modules. Paths are compared as text in one virtual file system
// where the repository's files live under repoRoot; a path auditbot
// cannot place (dynamic, `~`, an absolute log path with no absolute cwd)
// makes no claim.

// repoRoot stands for the repository's root in the virtual paths; a real
// absolute path cannot start with it.
const repoRoot = "/\x00repo"

// defaultWatchIgnore is chokidar's `ignored` when ignore_watch is not set
// (docs/pm2-behaviour.md#watch): any path with a dot-segment or node_modules in it.
var defaultWatchIgnore = regexp.MustCompile(`[/\\]\.|node_modules`)

// globChars are what makes a watch or ignore_watch entry a pattern.
const globChars = "*?[]{}!()+@"

// hardGlobChars make a pattern one whose matches auditbot does not
// compute (braces, extglobs, negation); `**` is one too.
const hardGlobChars = "{}!()+@"

// watchScope is an app's watcher: its cwd and watched roots as virtual
// absolute paths, and its ignore list.
type watchScope struct {
	cwd   string
	roots []string
	// ignore are the plain ignore_watch entries as virtual absolute paths;
	// defaults is true when ignore_watch is not set.
	ignore []string
	// globs are the simple ignore_watch patterns (*, ?, [...]) as virtual
	// absolute patterns: chokidar joins a relative entry with cwd and
	// matches it with picomatch ({dot: true}), which path.Match agrees
	// with for these.
	globs    []string
	defaults bool
	// undecidable is true when an ignore_watch entry is a pattern or
	// dynamic: whether a path is ignored cannot be told.
	undecidable bool
	// ignoreField is the ignore_watch option, when written.
	ignoreField *ecosystem.Field
	watchField  ecosystem.Field
}

// watchOf returns the app's watcher, or false when watch is off, dynamic,
// or its cwd cannot be placed.
func watchOf(a *App) (*watchScope, bool) {
	wf, ok := option(a.App, "watch")
	if !ok {
		return nil, false
	}
	if _, ok := option(a.App, "watch_options"); ok {
		// chokidar options merged over PM2's own (ignored, cwd...):
		// nothing is claimed about such a watcher.
		return nil, false
	}
	cwd, ok := appCwd(a)
	if !ok {
		return nil, false
	}
	ws := &watchScope{cwd: cwd, watchField: wf}
	switch v := wf.Value; v.Kind {
	case ecosystem.KindBool:
		if !v.Bool {
			return nil, false
		}
		ws.roots = []string{cwd}
	case ecosystem.KindString:
		if v.Str == "" {
			return nil, false // falsy: watch off
		}
		ws.roots = appendRoot(nil, cwd, v)
	case ecosystem.KindArray:
		if len(v.Items) == 0 {
			ws.roots = []string{cwd}
		}
		for _, it := range v.Items {
			ws.roots = appendRoot(ws.roots, cwd, it)
		}
	default:
		return nil, false
	}
	if len(ws.roots) == 0 {
		return nil, false
	}
	f, ok := option(a.App, "ignore_watch")
	if !ok {
		ws.defaults = true
		return ws, true
	}
	ws.ignoreField = &f
	items := []ecosystem.Value{f.Value}
	if f.Value.Kind == ecosystem.KindArray {
		items = f.Value.Items
	}
	for _, it := range items {
		switch {
		case it.Kind != ecosystem.KindString || strings.ContainsAny(it.Str, hardGlobChars) || strings.Contains(it.Str, "**"):
			ws.undecidable = true
		case strings.ContainsAny(it.Str, globChars):
			g := place(cwd, it)
			if _, err := path.Match(g, ""); err != nil {
				ws.undecidable = true
				continue
			}
			ws.globs = append(ws.globs, g)
		default:
			ws.ignore = append(ws.ignore, place(cwd, it))
		}
	}
	return ws, true
}

// appendRoot adds one plain watch path; patterns and dynamic entries are
// left out (nothing is claimed about what they watch).
func appendRoot(roots []string, cwd string, v ecosystem.Value) []string {
	if v.Kind != ecosystem.KindString || v.Str == "" || strings.ContainsAny(v.Str, globChars) || strings.HasPrefix(v.Str, "~") {
		return roots
	}
	return append(roots, place(cwd, v))
}

// appCwd is the app's cwd as a virtual absolute path: the config file's
// directory when unset (where the report's procedure runs pm2 start).
func appCwd(a *App) (string, bool) {
	dir := path.Join(repoRoot, path.Dir(a.File.Path))
	f, ok := option(a.App, "cwd")
	if !ok {
		return dir, true
	}
	if f.Value.Kind != ecosystem.KindString || f.Value.Str == "" || strings.HasPrefix(f.Value.Str, "~") {
		return "", false
	}
	return place(dir, f.Value), true
}

// place resolves a path value against base, as path.resolve does.
func place(base string, v ecosystem.Value) string {
	switch {
	case v.RepoPath:
		return path.Join(repoRoot, v.Str)
	case path.IsAbs(v.Str):
		return path.Clean(v.Str)
	}
	return path.Join(base, v.Str)
}

// sees reports whether the watcher reports changes to p (a virtual
// absolute path), and whether that is known.
func (ws *watchScope) sees(p string) (seen, known bool) {
	inside := false
	for _, r := range ws.roots {
		if within(p, r) {
			inside = true
			break
		}
	}
	if !inside {
		return false, true
	}
	if ws.defaults {
		return !defaultWatchIgnore.MatchString(strings.TrimPrefix(p, repoRoot)), true
	}
	for _, ig := range ws.ignore {
		if within(p, ig) {
			return false, true
		}
	}
	// A pattern ignores the path or one of its directories (the watcher
	// then never descends into it).
	for x := p; within(x, ws.cwd) || x == p; x = path.Dir(x) {
		for _, g := range ws.globs {
			if ok, _ := path.Match(g, x); ok {
				return false, true
			}
		}
		if x == ws.cwd || x == "/" || x == "." {
			break
		}
	}
	if ws.undecidable {
		return false, false
	}
	return true, true
}

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

// shown is a virtual path as the report writes it: repository-relative,
// or absolute as configured.
func shown(p string) string {
	if rel, ok := strings.CutPrefix(p, repoRoot); ok {
		if rel = strings.TrimPrefix(rel, "/"); rel == "" {
			return "."
		}
		return rel
	}
	return p
}
