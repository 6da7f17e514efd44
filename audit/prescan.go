package audit

import (
	"context"
	"io/fs"
	"path"
	"sort"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/scan"
)

// prescan scans, at head, the services the change most likely concerns
// while the walk of the whole head tree (candidates) runs, so that the
// two use both cores. It is a guess made before the candidates are known:
// the ecosystem files the change touches, and those in the directories
// above a changed file, are read and their services resolved exactly as
// model does; a service is scanned when its config changed or the change
// touches its source. The results stand in for the head scans of the
// same directories (scan.Service is deterministic: same file system,
// directory and options, same result); a wrong guess costs CPU, never a
// different audit.
type prescan struct {
	cancel context.CancelFunc
	done   chan struct{}
	scans  map[string]*scan.Result // by service dir; written before done closes
}

// startPrescan starts the prescan in the background. Its goroutine only
// reads: the head snapshot (safe for concurrent use), the change list
// (built by open, not modified later) and the scan cache (locked).
func (a *run) startPrescan(ctx context.Context) *prescan {
	ctx, cancel := context.WithCancel(ctx)
	p := &prescan{cancel: cancel, done: make(chan struct{}), scans: map[string]*scan.Result{}}
	go func() {
		defer close(p.done)
		for _, dir := range a.guessServices(ctx) {
			if ctx.Err() != nil {
				return
			}
			if r, err := scan.Service(ctx, a.headFS, dir, a.opt.Scan); err == nil {
				p.scans[dir] = r
			}
		}
	}()
	return p
}

// result waits for the prescan and returns its scan of dir, if any.
func (p *prescan) result(dir string) (*scan.Result, bool) {
	if p == nil {
		return nil, false
	}
	<-p.done
	r, ok := p.scans[dir]
	return r, ok
}

// stop cancels the prescan and waits for its goroutine.
func (p *prescan) stop() {
	if p == nil {
		return
	}
	p.cancel()
	<-p.done
}

// guessServices returns, sorted, the head service directories of the
// ecosystem files the change touches or sits under, for the apps whose
// config changed or whose source the change touches.
func (a *run) guessServices(ctx context.Context) []string {
	configs := map[string]bool{} // candidate path -> changed by the change
	seenDir := map[string]bool{}
	for _, f := range a.changed {
		if f.Path == "" {
			continue
		}
		if ecosystem.IsCandidate(path.Base(f.Path)) {
			configs[f.Path] = true
		}
		for d := path.Dir(f.Path); !seenDir[d]; d = path.Dir(d) {
			seenDir[d] = true
			if ents, err := a.headFS.ReadDir(d); err == nil {
				for _, e := range ents {
					if !e.IsDir() && e.Type().IsRegular() && ecosystem.IsCandidate(e.Name()) {
						if p := path.Join(d, e.Name()); !configs[p] {
							configs[p] = false
						}
					}
				}
			}
			if d == "." {
				break
			}
		}
	}
	dirs := map[string]bool{}
	for p, changed := range configs {
		if ctx.Err() != nil {
			return nil
		}
		src, err := fs.ReadFile(a.headFS, p)
		if err != nil {
			continue
		}
		f, err := ecosystem.Parse(ctx, p, src)
		if err != nil || !ecosystem.LooksLikeEcosystem(f) {
			continue
		}
		for i := range f.Apps {
			app, _ := a.resolve(ctx, a.head, f, &f.Apps[i])
			svc := app.Service
			if svc == nil || svc.Note != "" || missingScript(svc) {
				continue
			}
			if changed || a.touchesService(ctx, app) {
				dirs[svc.Dir] = true
			}
		}
	}
	out := make([]string, 0, len(dirs))
	for d := range dirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// missingScript reports an app whose script is missing: it runs no code,
// and its directory's code is not evidence about it.
func missingScript(svc *rule.Service) bool {
	return svc.ScriptPath != "" && !svc.ScriptExists && !svc.BuildOutput
}
