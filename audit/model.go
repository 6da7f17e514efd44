package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/launcher"
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/scan"
)

// involved returns the ecosystem files the change concerns, sorted: those
// it touches, and those whose services' code it touches.
func (a *run) involved(ctx context.Context) ([]string, error) {
	set := map[string]bool{}
	for _, rev := range []*revision{a.base, a.head} {
		for _, m := range []map[string]bool{keySet(rev.files), keySet(rev.errs), namedOpaque(rev.opaque)} {
			for p := range m {
				if a.changedByPath[p] == nil {
					continue
				}
				// A renamed config is one file, audited under its head
				// path, when it is still a candidate there.
				if rev == a.base {
					if to, ok := a.renamed[p]; ok && (a.head.files[to] != nil || a.head.errs[to] != nil) {
						p = to
					}
				}
				set[p] = true
			}
		}
	}
	// Ecosystem files the change makes symbolic links or submodules, or
	// adds as such: not read, so the audit cannot be complete.
	for p := range a.skipped {
		if a.changedByPath[p] != nil {
			set[p] = true
		}
	}
	// Unchanged configs whose services' sources changed.
	for _, p := range slices.Sorted(maps.Keys(a.head.files)) {
		if set[p] {
			continue
		}
		f := a.head.files[p]
		for i := range f.Apps {
			app, _ := a.resolve(ctx, a.head, f, &f.Apps[i])
			if app.Service != nil && a.touchesService(ctx, app) {
				set[p] = true
				break
			}
		}
	}
	// Twins of involved files: same directory, an app of the same name.
	for _, p := range slices.Sorted(maps.Keys(set)) {
		for _, t := range a.twins(a.head, p) {
			set[t] = true
		}
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// deleted reports whether the change deletes the ecosystem file p, with
// the names of its apps that no ecosystem file declares at head.
func (a *run) deleted(p string) (rule.Deleted, bool) {
	cf := a.changedByPath[p]
	f := a.base.files[p]
	if cf == nil || cf.Status != change.Deleted || f == nil {
		return rule.Deleted{}, false
	}
	declared := map[string]bool{}
	for _, hf := range a.head.files {
		for _, app := range hf.Apps {
			declared[app.Name] = true
		}
	}
	d := rule.Deleted{File: f}
	for _, app := range f.Apps {
		if app.Name != "" && !app.Dynamic && !declared[app.Name] && !slices.Contains(d.Gone, app.Name) {
			d.Gone = append(d.Gone, app.Name)
		}
	}
	return d, true
}

// staticNoApps reports whether a parsed file that is no ecosystem file
// by its shape exports one object, fully known, named like an ecosystem
// file: PM2 would take that object as its only app (rule
// apps-key-missing), which is known without running anything.
func staticNoApps(f *ecosystem.File) bool {
	return !f.AppsDynamic && f.AppsKey == "" && len(f.Apps) == 1 && !f.Apps[0].Dynamic && namedAsEcosystem(f.Path)
}

// namedOpaque are the opaque files whose names say they are ecosystem
// files: a change to one is a change to PM2 configuration.
func namedOpaque(m map[string]*ecosystem.File) map[string]bool {
	out := map[string]bool{}
	for p := range m {
		if namedAsEcosystem(p) {
			out[p] = true
		}
	}
	return out
}

// namedAsEcosystem reports whether a file's name says it is an ecosystem
// file: ecosystem or pm2 in it, or PM2's historical process.json and
// apps.json.
func namedAsEcosystem(p string) bool {
	base := strings.ToLower(path.Base(p))
	if strings.Contains(base, "ecosystem") || strings.Contains(base, "pm2") {
		return true
	}
	stem, _, _ := strings.Cut(base, ".")
	return (stem == "process" || stem == "apps") && path.Ext(base) == ".json"
}

func keySet[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// basePath is the path at base of the file at head path p: its old path
// when the change renamed it.
func (a *run) basePath(p string) string {
	if f := a.changedByPath[p]; f != nil && f.Status == change.Renamed && f.Path == p {
		return f.OldPath
	}
	return p
}

// headPath is the path at head of the file at base path p.
func (a *run) headPath(p string) string {
	if to, ok := a.renamed[p]; ok {
		return to
	}
	return p
}

// touchesService reports whether the change modifies the app's code
// (inCode): its script or a file its module graph reaches.
func (a *run) touchesService(ctx context.Context, app *rule.App) bool {
	for _, f := range a.changed {
		if f.Path != "" && a.inCode(ctx, a.head, app, f.Path) {
			return true
		}
		// A file gone at head (deleted or renamed away) was the app's
		// code when the base's graph of the same script reached it.
		if f.OldPath != "" && f.OldPath != f.Path && a.inCode(ctx, a.base, app, f.OldPath) {
			return true
		}
	}
	return false
}

// under reports whether p is inside dir ("." is the root).
func under(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

func inDependencies(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if skipDir(seg) {
			return true
		}
	}
	return false
}

// twins returns the other ecosystem files in p's directory that configure
// an app with the same name as one of p's.
func (a *run) twins(rev *revision, p string) []string {
	f := rev.files[p]
	if f == nil {
		return nil
	}
	names := map[string]bool{}
	for _, app := range f.Apps {
		if app.Name != "" {
			names[app.Name] = true
		}
	}
	var out []string
	for _, q := range slices.Sorted(maps.Keys(rev.files)) {
		if q == p || path.Dir(q) != path.Dir(p) {
			continue
		}
		for _, app := range rev.files[q].Apps {
			if names[app.Name] {
				out = append(out, q)
				break
			}
		}
	}
	return out
}

// model builds the rule input of one revision for the involved files.
// Every app's service is resolved first, then its code is read: the
// files its script's module graph reaches when that graph is known, else
// its service directory.
func (a *run) model(ctx context.Context, rev *revision, involved []string) error {
	in := &rule.Input{FS: rev.fsys}
	for _, p := range involved {
		if rev == a.base {
			p = a.basePath(p)
		}
		if f := rev.files[p]; f != nil {
			in.Files = append(in.Files, f)
			for i := range f.Apps {
				app, notes := a.resolve(ctx, rev, f, &f.Apps[i])
				a.resolutionNotes(rev, app.Name(), notes)
				if app.Service != nil {
					app.Service.Env, app.Service.EnvUnknown = appEnv(rev.fsys, f.Path, &f.Apps[i])
				}
				in.Apps = append(in.Apps, app)
			}
		}
		// A file auditbot did not read for its own limits is no claim
		// that PM2 cannot load it: it makes the audit incomplete instead.
		if e := rev.errs[p]; e != nil && !e.Unread() {
			in.Broken = append(in.Broken, e)
		}
		if f := rev.opaque[p]; f != nil && staticNoApps(f) {
			in.NoApps = append(in.NoApps, f)
		}
		if rev == a.head {
			if d, ok := a.deleted(p); ok {
				in.Deleted = append(in.Deleted, d)
			}
		}
	}
	for _, app := range in.Apps {
		// An app whose script is missing runs no code: its
		// directory's code is not evidence about it.
		svc := app.Service
		if svc == nil || svc.Scan != nil || svc.Note != "" || missingScript(svc) {
			continue
		}
		res, err := a.scan(ctx, rev, svc.Dir)
		if err != nil {
			return err
		}
		g, err := a.graph(ctx, rev, app)
		if err != nil {
			return err
		}
		switch {
		case g != nil && g.Complete():
			res = appCode(res, g, otherScriptDirs(in.Apps, svc))
		default:
			if g != nil {
				a.resolutionNotes(rev, app.Name(), []Note{graphNote(svc, g)})
			}
			if res, err = a.withEntry(rev, app, res); err != nil {
				return err
			}
		}
		svc.Scan = res
	}
	rev.input = in
	return nil
}

// withEntry adds to a directory's scan the app's entry script when the
// scan did not read it: a text file PM2 runs with node whatever its name,
// such as express-generator's bin/www, where the server listens and sends
// the ready message.
func (a *run) withEntry(rev *revision, app *rule.App, res *scan.Result) (*scan.Result, error) {
	svc, run := app.Service, app.PM2
	p := svc.ScriptPath
	if res == nil || !svc.ScriptExists || run.ViaShell || scan.IsSource(p) || scan.IsDoc(p) || !run.Interpreter.Known || !pm2.IsNode(run.Interpreter.Value) {
		return res, nil
	}
	if rev.entries == nil {
		rev.entries = map[string][]scan.Evidence{}
	}
	ev, ok := rev.entries[p]
	if !ok {
		max := a.scanMax()
		st, err := fs.Lstat(rev.fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read entry script %s at %s: %w", p, rev.name, err)
		}
		if !st.Mode().IsRegular() {
			return res, nil // a symbolic link is never followed
		}
		if st.Size() > max {
			a.sayNote(NoteLimit, p, 0, entryTooLargeNote(st.Size(), max))
			rev.entries[p] = nil
			return res, nil
		}
		data, err := fs.ReadFile(rev.fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read entry script %s at %s: %w", p, rev.name, err)
		}
		ev = scan.File(p, data)
		rev.entries[p] = ev
	}
	out := *res
	out.Files++
	out.Evidence = append(slices.Clip(res.Evidence), ev...)
	slices.SortStableFunc(out.Evidence, func(x, y scan.Evidence) int {
		if c := strings.Compare(x.Path, y.Path); c != 0 {
			return c
		}
		return x.Line - y.Line
	})
	return &out, nil
}

// scanMax is the largest source file the scan reads.
func (a *run) scanMax() int64 {
	if a.opt.Scan.MaxFileSize > 0 {
		return a.opt.Scan.MaxFileSize
	}
	return scan.DefaultMaxFileSize
}

// scan scans a service directory once per revision. The base reuses the
// head's result when the change touches nothing under the directory.
func (a *run) scan(ctx context.Context, rev *revision, dir string) (*scan.Result, error) {
	if rev.scans == nil {
		rev.scans = map[string]*scan.Result{}
	}
	if r, ok := rev.scans[dir]; ok {
		return r, nil
	}
	if rev == a.base && !a.changesUnder(dir) {
		if r, ok := a.head.scans[dir]; ok {
			rev.scans[dir] = r
			return r, nil
		}
	}
	r, ok := (*scan.Result)(nil), false
	if rev == a.head {
		r, ok = a.pre.result(dir)
	}
	if !ok {
		var err error
		if r, err = scan.Service(ctx, rev.fsys, dir, a.opt.Scan); err != nil {
			return nil, fmt.Errorf("scan %s at %s: %w", dir, rev.name, err)
		}
	}
	if r.Truncated {
		a.sayNote(NoteLimit, dir, 0, scanStoppedNote(r.Limit))
	}
	for _, p := range r.TooLarge {
		a.sayNote(NoteLimit, p, 0, sourceTooLargeNote(a.scanMax()))
	}
	rev.scans[dir] = r
	return r, nil
}

func (a *run) changesUnder(dir string) bool {
	for _, f := range a.changed {
		if (f.Path != "" && under(f.Path, dir)) || (f.OldPath != "" && under(f.OldPath, dir)) {
			return true
		}
	}
	return false
}

// resolve resolves an app as PM2 reads it (ecosystem.App.PM2: script,
// interpreter, mode, instances) and places its service in the
// repository the way PM2 would run it (docs/pm2-behaviour.md#config-file-names,
// docs/pm2-behaviour.md#relative-paths). It never resolves outside the repository and
// never follows a symbolic link. The notes say what it could not place or
// did not read, at the line of the option concerned.
func (a *run) resolve(ctx context.Context, rev *revision, f *ecosystem.File, app *ecosystem.App) (*rule.App, []Note) {
	opts := app.Options()
	run := app.PM2(pm2.Host{})
	cfgDir := path.Dir(f.Path)
	svc := &rule.Service{Dir: cfgDir}
	svc.PackageType = packageType(rev.fsys, cfgDir)
	var notes []Note
	noteAt := func(kind string, fld ecosystem.Field, msg string) {
		notes = append(notes, Note{Kind: kind, Path: f.Path, Line: fld.Line, Msg: msg})
	}
	sayAt := func(kind string, fld ecosystem.Field, m *message.Message) {
		notes = append(notes, Note{Kind: kind, Path: f.Path, Line: fld.Line, Says: m})
	}

	cwdOK := true
	if cwd, ok := opts["cwd"]; ok {
		switch dir, note := a.mapPath(rev, cfgDir, cwd.Value, true); {
		case note != "" && checkoutRoot(rev.fsys, cfgDir, cwd.Value, opts) != "":
			// The usual deploy: the repository is cloned to the host
			// path the cwd names (cwd: '/var/www/shop', the config at
			// the root of the clone).
			noteAt(NoteDynamic, cwd, fmt.Sprintf("cwd %s names no path of the repository; read as the host directory of %s (where the repository is checked out), because %s",
				cwd.Value.Str, cfgDirName(cfgDir), checkoutRoot(rev.fsys, cfgDir, cwd.Value, opts)))
		case note != "":
			svc.Note = "cwd " + note
			cwdOK = false
			if cwd.Value.Kind == ecosystem.KindString {
				noteAt(NoteSkipped, cwd, fmt.Sprintf("cwd %s: the service's code was not read", note))
			}
		default:
			svc.Dir = dir
			st, err := fs.Stat(rev.fsys, dir)
			switch {
			case err == nil && st.Mode()&fs.ModeSymlink != 0:
				svc.Note = fmt.Sprintf("cwd %s is a symbolic link", dir)
				cwdOK = false
				noteAt(NoteSkipped, cwd, symlinkNote(rev.fsys, dir, "cwd", "the service's code was not read"))
			case err != nil && (errors.Is(err, change.ErrSymlink) || errors.Is(err, change.ErrSubmodule)):
				svc.Note = fmt.Sprintf("cwd %s is not readable: %v", dir, err)
				cwdOK = false
				sayAt(NoteSkipped, cwd, cwdLinkNote(dir))
			case err != nil || !st.IsDir():
				// A directory made at deploy time (a build, a release
				// link) or a mistake: no code to read either way. The
				// script is still placed, and reported when missing
				// and not built at deploy time.
				svc.Note = fmt.Sprintf("cwd %s is not a directory of the repository", dir)
				sayAt(NoteSkipped, cwd, cwdNotDirNote(dir))
			}
		}
	}

	script, ok := opts["script"]
	switch {
	case !ok:
		svc.Note = joinNote(svc.Note, "no script option")
	case !run.Script.Known:
		svc.Note = joinNote(svc.Note, "script is not a static string")
	default:
		if !run.ViaShell && cwdOK {
			p, note := a.mapPath(rev, svc.Dir, script.Value, false)
			if _, hasCwd := opts["cwd"]; !hasCwd && note == "" && relativeScript(script.Value) {
				p = a.scriptFromStart(rev, f.Path, script.Value, p, svc, noteAt, script)
			}
			if note != "" {
				svc.Note = joinNote(svc.Note, "script "+note)
				noteAt(NoteSkipped, script, fmt.Sprintf("script %s: the service's code was not read", note))
				break
			}
			st, err := fs.Stat(rev.fsys, p)
			switch {
			case err == nil && st.Mode()&fs.ModeSymlink != 0:
				// PM2 would follow the link; auditbot never does. The
				// service directory is still the code PM2 runs when the
				// link stays inside it.
				if t, ok := linkTarget(rev.fsys, p); ok && under(t, svc.Dir) {
					svc.ScriptPath, svc.ScriptExists = p, true
					noteAt(NoteSkipped, script, symlinkNote(rev.fsys, p, "script", fmt.Sprintf("the service directory %s, which holds the target, is scanned", svc.Dir)))
				} else {
					svc.Note = joinNote(svc.Note, fmt.Sprintf("script %s is a symbolic link", p))
					noteAt(NoteSkipped, script, symlinkNote(rev.fsys, p, "script", "leaving the service directory: the service's code was not read"))
				}
			case errors.Is(err, change.ErrSymlink) || errors.Is(err, change.ErrSubmodule):
				svc.Note = joinNote(svc.Note, fmt.Sprintf("script %s is not readable: %v", p, err))
				sayAt(NoteSkipped, script, scriptLinkNote(p))
			case err != nil && bareCommand(run.Script.Value):
				// PM2 looks a script that is not a file up in PATH
				// (lib/Common.js prepareAppConf, "Try resolve command
				// available in $PATH"): npm, yarn, a binary.
				sayAt(NoteSkipped, script, scriptInPathNote(run.Script.Value))
			default:
				svc.ScriptPath = p
				svc.ScriptExists = err == nil && st.Mode().IsRegular()
				if !svc.ScriptExists {
					if root, ok := buildOutput(rev.fsys, p); ok {
						svc.BuildOutput = true
						// With a cwd not in the tree, nothing was read.
						sayAt(NoteSkipped, script, builtAtDeployNote(p, root, svc.Note == ""))
						if _, hasCwd := opts["cwd"]; !hasCwd {
							svc.Dir = root
						}
					}
				}
				if _, hasCwd := opts["cwd"]; !hasCwd && svc.ScriptExists {
					svc.Dir = serviceRoot(rev.fsys, cfgDir, path.Dir(p))
				}
			}
		}
	}

	// PM2 runs a binary with no known extension directly, any other
	// file with node (docs/pm2-behaviour.md#interpreter-by-extension).
	if svc.ScriptExists && path.Ext(svc.ScriptPath) == "" && isBinary(rev.fsys, svc.ScriptPath) {
		run = app.PM2(pm2.Host{ScriptBinary: true})
	}
	return &rule.App{File: f, App: app, PM2: run, Service: svc}, notes
}

// checkoutRoot tells why an absolute cwd that matches no path of the
// repository is, most likely, the host directory the repository is checked
// out to, the config's directory being that directory: the app's relative
// script is a file there, a deploy-time build of a package there, or a
// command (npm start) run with a package.json there. It returns "" without
// such evidence: the cwd then stays unplaced and the code is not read.
func checkoutRoot(fsys fs.FS, cfgDir string, cwd ecosystem.Value, opts map[string]ecosystem.Field) string {
	if cwd.Kind != ecosystem.KindString || !hostAbs(strings.TrimSpace(cwd.Str)) {
		return ""
	}
	script, ok := opts["script"]
	if !ok || script.Value.Kind != ecosystem.KindString {
		return ""
	}
	s := strings.TrimSpace(script.Value.Str)
	if s == "" || hostAbs(s) || strings.HasPrefix(s, "~") {
		return ""
	}
	if first := strings.Fields(s)[0]; pm2.ViaShell(s) || bareCommand(s) {
		if !bareCommand(first) {
			return ""
		}
		pkg := path.Join(cfgDir, "package.json")
		if st, err := fs.Stat(fsys, pkg); err == nil && st.Mode().IsRegular() {
			return fmt.Sprintf("%s needs a package.json, and %s is there", first, pkg)
		}
		return ""
	}
	p := path.Join(cfgDir, s)
	if p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	if st, err := fs.Lstat(fsys, p); err == nil && st.Mode().IsRegular() {
		return fmt.Sprintf("the app's script %s is there", p)
	}
	if root, built := buildOutput(fsys, p); built {
		return fmt.Sprintf("the app's script %s is built there by the package in %s", p, root)
	}
	return ""
}

// cfgDirName names a config's directory for a note.
func cfgDirName(dir string) string {
	if dir == "." {
		return "the repository root"
	}
	return dir
}

// linkTarget resolves the symbolic link p lexically to a repository path,
// and reports whether it stays inside the repository.
func linkTarget(fsys fs.FS, p string) (string, bool) {
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return "", false
	}
	t, err := rl.ReadLink(p)
	if err != nil || !insideRepo(path.Dir(p), t) {
		return "", false
	}
	return path.Join(path.Dir(p), t), true
}

// resolutionNotes records the notes of one app's service resolution. The
// base revision adds only what the head does not already say.
// noteKey identifies a note's kind, path and what it says.
func noteKey(kind, p string, n Note) string {
	what := n.Msg
	if n.Says != nil {
		what = n.Says.ID + fmt.Sprint(map[string]message.Value(n.Says.Args))
	}
	return kind + "\x00" + p + "\x00" + what
}

func (a *run) resolutionNotes(rev *revision, app string, notes []Note) {
	for _, n := range notes {
		if n.Says != nil {
			// The app and the revision are arguments of the message;
			// a copy, so that the base's note does not change the head's.
			args := maps.Clone(n.Says.Args)
			if args == nil {
				args = message.Args{}
			}
			args["app"] = message.CodeOf(app)
			n.Says = says(n.Says.ID, args)
		} else {
			n.Msg = fmt.Sprintf("app %s: %s", app, n.Msg)
		}
		if rev == a.base {
			if a.resolved[noteKey(n.Kind, a.headPath(n.Path), n)] {
				continue
			}
			if n.Says != nil {
				n.Says.Args["base"] = message.BoolOf(true)
			} else {
				n.Msg += " (base revision; line numbers are at base)"
			}
		}
		key := noteKey(n.Kind, n.Path, n)
		if a.resolved[key] {
			continue
		}
		a.resolved[key] = true
		a.notes = append(a.notes, n)
	}
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// mapPath turns a cwd or script value into a repository path. Relative
// values are joined to base; absolute production paths are mapped into
// the repository by their longest existing suffix; nothing resolves
// outside the repository. The note, when not empty, says why the value
// could not be placed ("%q is outside the repository").
func (a *run) mapPath(rev *revision, base string, v ecosystem.Value, wantDir bool) (string, string) {
	if v.Kind != ecosystem.KindString {
		return "", fmt.Sprintf("value %q is not static", v.Source)
	}
	s := strings.TrimSpace(v.Str)
	if s == "" {
		return base, ""
	}
	if v.RepoPath {
		p := path.Clean(s)
		if p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(p) {
			return "", fmt.Sprintf("%q is outside the repository", s)
		}
		return p, ""
	}
	if strings.HasPrefix(s, "~") {
		return "", fmt.Sprintf("%q is relative to a home directory, not the repository", s)
	}
	if hostAbs(s) {
		return a.suffixMatch(rev, s, wantDir)
	}
	p := path.Join(base, s)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Sprintf("%q is outside the repository (from %s)", s, base)
	}
	return p, ""
}

// hostAbs reports whether a cwd or script value is an absolute path on the
// host that runs PM2: /srv/app, or a Windows path with a drive letter
// (C:/apps/api, C:\apps\api), which is relative to nothing in the
// repository either.
func hostAbs(s string) bool {
	if path.IsAbs(s) || strings.HasPrefix(s, `\`) {
		return true
	}
	return len(s) >= 3 && s[1] == ':' && (s[2] == '/' || s[2] == '\\') &&
		('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z')
}

// suffixMatch maps an absolute path onto the longest suffix that exists in
// the tree: /root/acme/services/api -> services/api, C:\acme\api -> api.
func (a *run) suffixMatch(rev *revision, abs string, wantDir bool) (string, string) {
	p := strings.ReplaceAll(abs, `\`, "/")
	if len(p) >= 3 && p[1] == ':' && p[2] == '/' {
		p = p[2:] // the drive letter names no directory of the checkout
	}
	parts := strings.Split(strings.Trim(path.Clean(p), "/"), "/")
	for i := range parts {
		cand := path.Join(parts[i:]...)
		if cand == "" || cand == "." {
			continue
		}
		st, err := fs.Stat(rev.fsys, cand)
		if err == nil && st.IsDir() == wantDir && (wantDir || st.Mode().IsRegular()) {
			return cand, ""
		}
	}
	return "", fmt.Sprintf("absolute path %q matches no path in the repository", abs)
}

// packageType reads the "type" of the nearest package.json at or above
// dir ("" when none, or when that file is over launcher.MaxSize).
func packageType(fsys fs.FS, dir string) string {
	_, b := launcher.NearestPackage(fsys, dir)
	return launcher.PackageType(b)
}

// isBinary applies git's test: a NUL byte in the first 8000 bytes.
func isBinary(fsys fs.FS, p string) bool {
	f, err := fsys.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 8000)
	n, _ := f.Read(buf)
	for _, b := range buf[:n] {
		if b == 0 {
			return true
		}
	}
	return false
}

// bareCommand reports whether a script is a bare command name (no
// directory, no extension). PM2 looks a script that is no file up in PATH
// before it gives up (lib/Common.js prepareAppConf, docs/pm2-behaviour.md#relative-paths;
// proven by audit/proof's script-not-found/path-command variant), so such
// a name is never reported missing.
func bareCommand(script string) bool {
	return !strings.ContainsAny(script, `/\`) && path.Ext(script) == ""
}

// serviceRoot is the directory whose code an app without cwd runs: the
// nearest directory with a package.json from the script's directory up to
// the config's, else the script's own directory. A monorepo's root config
// running services/worker/index.js thus scans services/worker, not the
// whole repository.
func serviceRoot(fsys fs.FS, cfgDir, scriptDir string) string {
	if !under(scriptDir, cfgDir) {
		return scriptDir
	}
	for d := scriptDir; ; d = path.Dir(d) {
		if st, err := fs.Stat(fsys, path.Join(d, "package.json")); err == nil && st.Mode().IsRegular() {
			return d
		}
		if d == cfgDir || d == "." {
			break
		}
	}
	return scriptDir
}

// buildDirs are the directories build tools write their output to.
var buildDirs = map[string]bool{"dist": true, "build": true, "out": true, "lib": true, ".next": true, ".output": true}

// buildOutput reports whether a missing script lies in a build output
// directory of a package that builds it: a package.json with a "build"
// script, or a tsconfig.json, in the directory that holds the build
// directory. It returns that package directory.
//
// A script under node_modules (node_modules/.bin/next) is installed at
// deploy time too: it counts the same way, with the package that depends
// on it as the root.
func buildOutput(fsys fs.FS, script string) (string, bool) {
	segs := strings.Split(script, "/")
	for i, seg := range segs[:len(segs)-1] {
		if seg == "node_modules" {
			if i == 0 {
				return ".", true
			}
			return path.Join(segs[:i]...), true
		}
	}
	for i := len(segs) - 2; i >= 0; i-- {
		if !buildDirs[segs[i]] {
			continue
		}
		root := path.Join(segs[:i]...)
		if root == "" {
			root = "."
		}
		if _, err := fs.Stat(fsys, path.Join(root, "tsconfig.json")); err == nil {
			return root, true
		}
		if launcher.Scripts(launcher.Read(fsys, path.Join(root, "package.json")))["build"] != "" {
			return root, true
		}
	}
	return "", false
}

// relativeScript reports whether a script value is a path relative to
// the directory pm2 runs in.
func relativeScript(v ecosystem.Value) bool {
	s := strings.TrimSpace(v.Str)
	return v.Kind == ecosystem.KindString && !v.RepoPath && s != "" && !hostAbs(s) && !strings.HasPrefix(s, "~") && !bareCommand(s)
}

// scriptFromStart places a relative script of an app without cwd. PM2
// resolves it from the directory of the shell that runs pm2 (docs/pm2-behaviour.md#relative-paths),
// which the config does not say. When the repository says it (a
// package.json script or a Dockerfile's WORKDIR that starts the file,
// startDirs) and names one directory, the script is placed from there.
// Otherwise it is placed from the config's directory, as written; when it
// is missing there but found from the repository root, the root's file
// is taken (read as the app's code) and svc.UnknownCwd keeps the config
// directory's path, for a warning naming both.
func (a *run) scriptFromStart(rev *revision, cfg string, v ecosystem.Value, p string, svc *rule.Service,
	noteAt func(string, ecosystem.Field, string), fld ecosystem.Field) string {
	s := strings.TrimSpace(v.Str)
	starts := startDirs(rev.fsys, cfg)
	if len(starts) == 1 {
		for d, why := range starts {
			q := path.Join(d, s)
			if !insideRepo(".", q) {
				return p
			}
			if q != p {
				noteAt(NoteDynamic, fld, fmt.Sprintf("script %s is resolved from %s, where %s starts pm2 with this file", s, cfgDirName(d), why))
			}
			return q
		}
	}
	cfgDir := path.Dir(cfg)
	if len(starts) > 1 || cfgDir == "." || isRegular(rev.fsys, p) {
		return p
	}
	q := path.Clean(s)
	if !insideRepo(".", q) || !isRegular(rev.fsys, q) {
		return p
	}
	svc.UnknownCwd = p
	return q
}

// isRegular reports whether p is a regular file of the tree.
func isRegular(fsys fs.FS, p string) bool {
	st, err := fs.Lstat(fsys, p)
	return err == nil && st.Mode().IsRegular()
}
