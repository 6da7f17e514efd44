package audit

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/scan"
)

// graphs caches one revision's module graphs by entry script. The
// prescan goroutine and the engine both ask for them, hence the lock.
type graphs struct {
	mu sync.Mutex
	m  map[string]graphResult
}

type graphResult struct {
	g   *scan.Graph
	err error
}

// usesGraph reports whether an app's code is the module graph of its
// script: a file of the repository that PM2 runs with Node (or Bun),
// neither through a shell nor built at deploy time. For anything else
// (npm start, a deploy-time build, python) the service directory stands
// for the app's code.
func usesGraph(app *rule.App) bool {
	svc := app.Service
	if svc == nil || svc.Note != "" || !svc.ScriptExists || app.PM2.ViaShell || svc.BuildOutput || svc.ScriptPath == "" {
		return false
	}
	if !app.PM2.Interpreter.Known || !pm2.IsNode(app.PM2.Interpreter.Value) {
		return false
	}
	ext := path.Ext(svc.ScriptPath)
	return ext == "" || scan.IsSource(svc.ScriptPath)
}

// graph returns the module graph of an app's script at rev, nil when the
// app's code is not a module graph (usesGraph). The graph is read once
// per revision and entry.
func (a *run) graph(ctx context.Context, rev *revision, app *rule.App) (*scan.Graph, error) {
	if !usesGraph(app) {
		return nil, nil
	}
	svc := app.Service
	rev.graphs.mu.Lock()
	defer rev.graphs.mu.Unlock()
	if r, ok := rev.graphs.m[svc.ScriptPath]; ok {
		return r.g, r.err
	}
	if st, err := fs.Lstat(rev.fsys, svc.ScriptPath); err != nil || !st.Mode().IsRegular() {
		// A script that is a symbolic link (never followed) or absent
		// at this revision: the service directory stands for its code.
		return nil, nil
	}
	g, err := scan.ModuleGraph(ctx, rev.fsys, svc.ScriptPath, scan.GraphOptions{MaxFileSize: a.opt.Scan.MaxFileSize})
	if err != nil {
		err = fmt.Errorf("module graph of %s at %s: %w", svc.ScriptPath, rev.name, err)
		if ctx.Err() != nil {
			return nil, err // not cached: a later call may run with a live context
		}
	}
	if rev.graphs.m == nil {
		rev.graphs.m = map[string]graphResult{}
	}
	rev.graphs.m[svc.ScriptPath] = graphResult{g, err}
	return g, err
}

// appCode is the scan result that is an app's own code: the evidence of
// the files its module graph reaches, the tests and fixtures of its
// service directory (minus those of other apps' script directories,
// given in others) and the directory's documentation.
func appCode(dirScan *scan.Result, g *scan.Graph, others []string) *scan.Result {
	out := &scan.Result{Dir: dirScan.Dir, Docs: dirScan.Docs, DocFiles: dirScan.DocFiles,
		Truncated: dirScan.Truncated, Limit: dirScan.Limit}
	out.Evidence = append(out.Evidence, g.Evidence...)
	out.Files = len(g.Files)
	tests := map[string]bool{}
	for _, e := range dirScan.Evidence {
		if e.Context != scan.InTest || g.Has(e.Path) || underAny(e.Path, others) {
			continue
		}
		out.Evidence = append(out.Evidence, e)
		tests[e.Path] = true
	}
	out.TestFiles = len(tests)
	out.Files += len(tests)
	slices.SortStableFunc(out.Evidence, func(x, y scan.Evidence) int {
		if c := strings.Compare(x.Path, y.Path); c != 0 {
			return c
		}
		return x.Line - y.Line
	})
	return out
}

func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if under(p, d) {
			return true
		}
	}
	return false
}

// otherScriptDirs are the script directories of the other apps of in that
// share svc's service directory but not its script directory: their tests
// are theirs.
func otherScriptDirs(apps []*rule.App, svc *rule.Service) []string {
	own := path.Dir(svc.ScriptPath)
	var out []string
	for _, o := range apps {
		s := o.Service
		if s == nil || s == svc || s.Dir != svc.Dir || s.ScriptPath == "" {
			continue
		}
		d := path.Dir(s.ScriptPath)
		if d == s.Dir || under(own, d) || slices.Contains(out, d) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// graphNote says why an app's code is its whole service directory
// although its script is a module graph: the script loads a module by a
// name decided at run time, or the graph hit a limit.
func graphNote(svc *rule.Service, g *scan.Graph) Note {
	n := Note{Kind: NoteDynamic, Path: svc.ScriptPath}
	switch {
	case len(g.Computed) > 0:
		c := g.Computed[0]
		n.Path, n.Line = c.Path, c.Line
		n.Says = graphComputedNote(c.Path, c.Line, c.Text, svc.ScriptPath, svc.Dir)
	case len(g.Unknown) > 0:
		c := g.Unknown[0]
		n.Path, n.Line = c.Path, c.Line
		n.Says = graphUnknownNote(c.Path, c.Line, c.Spec, svc.ScriptPath, svc.Dir)
	default:
		n.Kind = NoteLimit
		n.Says = graphLimitNote(svc.ScriptPath, g.Limit, svc.Dir)
	}
	return n
}

// inCode reports whether the repository path p is code of the app at
// rev: a file of its script's module graph, or, when that graph is not
// known completely or the app's code is its directory, a source file
// under its service directory (the entry script included).
func (a *run) inCode(ctx context.Context, rev *revision, app *rule.App, p string) bool {
	svc := app.Service
	if p == svc.ScriptPath {
		return true
	}
	if g, err := a.graph(ctx, rev, app); err == nil && g != nil && g.Complete() {
		return g.Has(p)
	}
	return scan.IsSource(p) && under(p, svc.Dir) && !inDependencies(p)
}
