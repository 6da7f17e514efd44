// Package audit is auditbot's engine: it reads a change from git, finds the
// PM2 ecosystem files it touches (or whose services' code it touches),
// models both revisions, runs the rules on each and classifies every
// finding as introduced, fixed or unchanged by the change.
//
// The flow is: change (git) → ecosystem (parse) → service resolution →
// scan (source evidence) → rule (truth) → Document (this package), which
// package report turns into words.
package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"

	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/scan"
)

// Options tune a run.
type Options struct {
	// Version is written into the document's tool section.
	Version string
	// Scan limits the source scan of each service.
	Scan scan.Options
	// Logger receives debug logs; nil discards them.
	Logger *slog.Logger
}

// ErrRevision is wrapped by errors about the revisions themselves (unknown
// revision, malformed range), which the CLI reports with exit status 2.
var ErrRevision = change.ErrUnknownRevision

// RunRange resolves spec (A..B, A...B, R, or "" for HEAD~1..HEAD) in repo
// and audits it.
func RunRange(ctx context.Context, repo *git.Repository, spec string, opt Options) (*Document, error) {
	r, err := change.Resolve(ctx, repo, spec)
	if err != nil {
		shown := spec
		if strings.TrimSpace(shown) == "" {
			shown = "HEAD~1..HEAD"
		}
		return nil, fmt.Errorf("resolve %q: %w", shown, err)
	}
	return Run(ctx, repo, r, opt)
}

// Run audits the change r of repo.
func Run(ctx context.Context, repo *git.Repository, r change.Range, opt Options) (*Document, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Scan.Cache == nil {
		// The base and head scans of a service share their unchanged
		// files: the second scan reuses what the first found in them.
		opt.Scan.Cache = scan.NewCache()
	}
	a := &run{repo: repo, rng: r, opt: opt}
	if err := a.open(ctx); err != nil {
		return nil, err
	}
	// The likely services are scanned while collect walks the head tree.
	a.pre = a.startPrescan(ctx)
	defer a.pre.stop()
	if err := a.collect(ctx); err != nil {
		return nil, err
	}
	return a.document(ctx)
}

// run holds the state of one audit.
type run struct {
	repo *git.Repository
	rng  change.Range
	opt  Options

	baseFS, headFS *change.Snapshot
	changed        []change.File
	changedByPath  map[string]*change.File // by new path, and by old path for deletions
	// renamed maps the base path of every renamed file to its head path.
	renamed map[string]string
	patches map[string]*change.Patch

	base, head *revision
	notes      []Note
	// skipped are the head's ecosystem-file candidates that were not read:
	// symbolic links and submodules, by path.
	skipped map[string]string
	// launchers are the head's Dockerfiles and package.json files, whose
	// pm2 commands name ecosystem files; referenced are the files they
	// and the deploy hooks pass to pm2 (ecosystem files whatever their
	// name).
	launchers  []string
	referenced map[string]bool
	resolved   map[string]bool // resolution notes already recorded
	pre        *prescan        // head scans made during collect
}

// revision is the model of one side of the change.
type revision struct {
	name  string // "base" or "head"
	fsys  *change.Snapshot
	files map[string]*ecosystem.File       // parsed ecosystem files by path
	errs  map[string]*ecosystem.ParseError // candidates that failed to parse
	// opaque are candidates that parsed but export no apps list the engine
	// can read (a function, a call): an ecosystem file at the other
	// revision that became one of these is audited as "not known".
	opaque map[string]*ecosystem.File
	input  *rule.Input
	scans  map[string]*scan.Result // by service dir
	// entries is the evidence of entry scripts read on their own (not
	// source by name: bin/www), by path.
	entries map[string][]scan.Evidence
	// graphs are the module graphs of the apps' entry scripts.
	graphs graphs
}

func (a *run) open(ctx context.Context) error {
	var err error
	if a.rng.Base != nil {
		if a.baseFS, err = change.NewSnapshot(a.repo, a.rng.Base); err != nil {
			return fmt.Errorf("read base tree: %w", err)
		}
	} else {
		a.baseFS = change.EmptySnapshot()
	}
	if a.headFS, err = change.NewSnapshot(a.repo, a.rng.Head); err != nil {
		return fmt.Errorf("read head tree: %w", err)
	}
	if a.changed, err = change.Changes(ctx, a.repo, a.rng); err != nil {
		return fmt.Errorf("diff %s..%s: %w", a.rng.BaseRev, a.rng.HeadRev, err)
	}
	a.resolved = map[string]bool{}
	a.skipped = map[string]string{}
	a.referenced = map[string]bool{}
	a.changedByPath = map[string]*change.File{}
	a.renamed = map[string]string{}
	for i := range a.changed {
		f := &a.changed[i]
		if f.Status == change.Renamed && f.OldPath != "" && f.Path != "" {
			a.renamed[f.OldPath] = f.Path
		}
		if f.Path != "" {
			a.changedByPath[f.Path] = f
		}
		if f.OldPath != "" {
			if _, ok := a.changedByPath[f.OldPath]; !ok {
				a.changedByPath[f.OldPath] = f
			}
		}
	}
	a.patches = map[string]*change.Patch{}
	a.base = &revision{name: "base", fsys: a.baseFS}
	a.head = &revision{name: "head", fsys: a.headFS}
	return nil
}

// collect finds the ecosystem files involved, parses them at both
// revisions, resolves and scans their services.
func (a *run) collect(ctx context.Context) error {
	// Every ecosystem-looking file of the head tree is a candidate: a
	// change to a service's source matters when any config runs it.
	headCands, err := a.candidates(ctx, a.headFS)
	if err != nil {
		return err
	}
	for _, l := range a.launchers {
		a.reference(headCands, l)
	}
	baseCands := map[string]bool{}
	for _, f := range a.changed {
		if f.OldPath != "" && ecosystem.IsCandidate(f.OldPath) {
			baseCands[f.OldPath] = true
		}
	}
	for p := range headCands {
		if _, err := fs.Stat(a.baseFS, p); err == nil {
			baseCands[p] = true
		}
	}
	if err := a.parseAll(ctx, a.head, headCands); err != nil {
		return err
	}
	// Files the deploy hooks start (run from the deployed checkout's
	// root): parsed too, once, when nothing named them before.
	more := map[string]bool{}
	for _, p := range slices.Sorted(maps.Keys(a.head.files)) {
		for _, h := range a.head.files[p].Deploy {
			if h.Dynamic {
				continue
			}
			for _, arg := range fileArgs(h.Command) {
				if q, ok := a.configPath(".", arg); ok && !headCands[q] {
					more[q], headCands[q], a.referenced[q] = true, true, true
				}
			}
		}
	}
	if len(more) > 0 {
		if err := a.parseMore(ctx, a.head, more); err != nil {
			return err
		}
		for p := range more {
			if _, err := fs.Stat(a.baseFS, p); err == nil {
				baseCands[p] = true
			}
		}
	}
	if err := a.parseAll(ctx, a.base, baseCands); err != nil {
		return err
	}
	return nil
}

// candidates lists the files of a tree whose names may be ecosystem files,
// skipping dependency folders.
func (a *run) candidates(ctx context.Context, fsys fs.FS) (map[string]bool, error) {
	out := map[string]bool{}
	if snap, ok := fsys.(*change.Snapshot); ok {
		// The same walk without a DirEntry or a joined path per file
		// (30000 of them in BenchmarkReport): only paths noted or kept
		// are joined.
		err := snap.WalkFiles(ctx, ".", skipDir, func(dir, name string, mode fs.FileMode) error {
			a.candidate(fsys, out, dir, name, mode)
			return nil
		}, func(dir string, err error) error {
			a.sayNote(NoteUnreadable, dir, 0, unreadableNote(err.Error()))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list files: %w", err)
		}
		return out, nil
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			a.sayNote(NoteUnreadable, p, 0, unreadableNote(err.Error()))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() {
			if p != "." && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		a.candidate(fsys, out, path.Dir(p), d.Name(), d.Type())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	return out, nil
}

// candidate considers the entry name of directory dir (not a directory
// itself) for candidates.
func (a *run) candidate(fsys fs.FS, out map[string]bool, dir, name string, mode fs.FileMode) {
	if mode.IsRegular() && (name == "package.json" || name == "Dockerfile" || strings.HasPrefix(name, "Dockerfile.") || strings.HasSuffix(name, ".Dockerfile")) {
		a.launchers = append(a.launchers, path.Join(dir, name))
	}
	switch {
	case mode&fs.ModeIrregular != 0:
		// A submodule: fs.WalkDir does not descend into it, and its
		// files are in another repository.
		p := path.Join(dir, name)
		a.sayNote(NoteSkipped, p, 0, submoduleNote(p))
		if ecosystem.IsCandidate(name) {
			a.skipped[p] = UnauditedSubmodule
		}
	case !ecosystem.IsCandidate(name):
	case mode.IsRegular():
		out[path.Join(dir, name)] = true
	case mode&fs.ModeSymlink != 0:
		p := path.Join(dir, name)
		a.note(NoteSkipped, p, 0, symlinkNote(fsys, p, "ecosystem file", "not audited as one (its target is audited under its own path when it is an ecosystem file)"))
		a.skipped[p] = UnauditedSymlink
	}
}

// symlinkNote explains that the symbolic link p was not followed, naming
// its target and whether it leaves the repository. what says what the
// link stands for ("ecosystem file", "cwd", "script"); inside is what
// happens to a target inside the repository.
func symlinkNote(fsys fs.FS, p, what, inside string) string {
	target, outside := "an unreadable target", true
	if rl, ok := fsys.(fs.ReadLinkFS); ok {
		if t, err := rl.ReadLink(p); err == nil {
			target = fmt.Sprintf("%q", t)
			outside = !insideRepo(path.Dir(p), t)
		}
	}
	msg := fmt.Sprintf("%s %s is a symbolic link to %s: not followed", what, p, target)
	if outside {
		return msg + " (the target is outside the repository), not audited"
	}
	return msg + "; " + inside
}

// insideRepo reports whether target, relative to dir, stays in the
// repository.
func insideRepo(dir, target string) bool {
	if hostAbs(target) {
		return false
	}
	p := path.Join(dir, target)
	return p != ".." && !strings.HasPrefix(p, "../")
}

// skipDir reports directories never searched for configs or sources.
func skipDir(name string) bool {
	switch name {
	case "node_modules", ".git", "bower_components", "jspm_packages":
		return true
	}
	return false
}

func (a *run) parseAll(ctx context.Context, rev *revision, cands map[string]bool) error {
	rev.files = map[string]*ecosystem.File{}
	rev.opaque = map[string]*ecosystem.File{}
	rev.errs = map[string]*ecosystem.ParseError{}
	return a.parseMore(ctx, rev, cands)
}

// parseMore parses more candidates into rev's models.
func (a *run) parseMore(ctx context.Context, rev *revision, cands map[string]bool) error {
	for _, p := range slices.Sorted(maps.Keys(cands)) {
		if err := ctx.Err(); err != nil {
			return err
		}
		src, err := fs.ReadFile(rev.fsys, p)
		if err != nil {
			if errors.Is(err, change.ErrSymlink) || errors.Is(err, change.ErrSubmodule) {
				continue
			}
			rev.errs[p] = &ecosystem.ParseError{Path: p, Msg: err.Error()}
			continue
		}
		f, err := ecosystem.Parse(ctx, p, src)
		if err != nil {
			var pe *ecosystem.ParseError
			if !errors.As(err, &pe) {
				pe = &ecosystem.ParseError{Path: p, Msg: err.Error()}
			}
			if a.referenced[p] || meantAsEcosystem(p, src) {
				rev.errs[p] = pe
			}
			continue
		}
		if f.Encoding != nil {
			a.sayNote(NoteEncoding, p, f.Encoding.Line, latin1Note(p, f.Encoding.Line, f.Encoding.Column, rev.name))
		}
		if ecosystem.LooksLikeEcosystem(f) {
			rev.files[p] = f
		} else {
			rev.opaque[p] = f
		}
	}
	return nil
}

// meantAsEcosystem tells whether a candidate that cannot be parsed is an
// ecosystem file worth a finding: its name says so (ecosystem or pm2 in
// it, or PM2's historical process.json and apps.json), or its content
// has the shape of one (an apps list and a script). A broken
// processors.json or process-map.json of some other tool is not.
func meantAsEcosystem(p string, src []byte) bool {
	base := strings.ToLower(path.Base(p))
	if strings.Contains(base, "ecosystem") || strings.Contains(base, "pm2") {
		return true
	}
	// PM2's historical process.json and apps.json; a broken process.yml
	// is some other tool's unless its content says otherwise.
	stem, _, _ := strings.Cut(base, ".")
	if (stem == "process" || stem == "apps") && path.Ext(base) == ".json" {
		return true
	}
	head := src[:min(len(src), 64<<10)]
	return bytes.Contains(head, []byte("apps")) && (bytes.Contains(head, []byte("script")) || bytes.Contains(head, []byte("exec_mode")))
}

func (a *run) note(kind, p string, line int, msg string) {
	a.notes = append(a.notes, Note{Kind: kind, Path: p, Line: line, Msg: msg})
}
