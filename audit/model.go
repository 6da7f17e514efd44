package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/scan"
)

// sourceExts are the extensions of service source files.
var sourceExts = map[string]bool{
	".js": true, ".cjs": true, ".mjs": true, ".jsx": true,
	".ts": true, ".tsx": true, ".mts": true, ".cts": true,
}

// docExts are the extensions of documentation files.
var docExts = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".rst": true}

// involved returns the ecosystem files the change concerns, sorted: those
// it touches, and those whose services' code it touches.
func (a *run) involved(ctx context.Context) ([]string, error) {
	set := map[string]bool{}
	for _, rev := range []*revision{a.base, a.head} {
		for p := range rev.files {
			if a.changedByPath[p] != nil {
				set[p] = true
			}
		}
		for p := range rev.errs {
			if a.changedByPath[p] != nil {
				set[p] = true
			}
		}
	}
	// Unchanged configs whose services' sources changed.
	for _, p := range sortedKeys(a.head.files) {
		if set[p] {
			continue
		}
		f := a.head.files[p]
		for i := range f.Apps {
			svc := a.resolve(ctx, a.head, f, &f.Apps[i])
			if svc != nil && a.touchesService(svc) {
				set[p] = true
				break
			}
		}
	}
	// Twins of involved files: same directory, an app of the same name.
	for _, p := range sortedKeys(set) {
		for _, t := range a.twins(a.head, p) {
			set[t] = true
		}
	}
	return sortedKeys(set), nil
}

// touchesService reports whether the change modifies the service's source
// or its script.
func (a *run) touchesService(svc *rule.Service) bool {
	for _, f := range a.changed {
		for _, p := range []string{f.Path, f.OldPath} {
			if p == "" {
				continue
			}
			if p == svc.ScriptPath || (sourceExts[path.Ext(p)] && under(p, svc.Dir) && !inDependencies(p)) {
				return true
			}
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
	for _, q := range sortedKeys(rev.files) {
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
func (a *run) model(ctx context.Context, rev *revision, involved []string) error {
	in := &rule.Input{FS: rev.fsys}
	for _, p := range involved {
		if f := rev.files[p]; f != nil {
			in.Files = append(in.Files, f)
			for i := range f.Apps {
				app := &rule.App{File: f, App: &f.Apps[i]}
				app.Service = a.resolve(ctx, rev, f, &f.Apps[i])
				// An app whose script is missing runs no code: its
				// directory's code is not evidence about it.
				missing := app.Service != nil && app.Service.ScriptPath != "" && !app.Service.ScriptExists
				if app.Service != nil && app.Service.Scan == nil && app.Service.Note == "" && !missing {
					res, err := a.scan(ctx, rev, app.Service.Dir)
					if err != nil {
						return err
					}
					app.Service.Scan = res
				}
				in.Apps = append(in.Apps, app)
			}
		}
		if e := rev.errs[p]; e != nil {
			in.Broken = append(in.Broken, e)
		}
	}
	rev.input = in
	return nil
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
	r, err := scan.Service(ctx, rev.fsys, dir, a.opt.Scan)
	if err != nil {
		return nil, fmt.Errorf("scan %s at %s: %w", dir, rev.name, err)
	}
	if r.Truncated {
		a.note(NoteLimit, dir, 0, "source scan stopped early: "+r.Limit)
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

// fields indexes an app's options by their canonical PM2 key (aliases and
// camelCase folded, last one wins as in JavaScript).
func fields(app *ecosystem.App) map[string]ecosystem.Field {
	s := pm2.Default()
	out := map[string]ecosystem.Field{}
	for _, f := range app.Fields {
		if k, ok := s.Canonical(f.Key); ok {
			out[k] = f
		}
	}
	return out
}

// resolve places an app's service in the repository the way PM2 would run
// it (FACTS §4, §6, §7). It never resolves outside the repository.
func (a *run) resolve(ctx context.Context, rev *revision, f *ecosystem.File, app *ecosystem.App) *rule.Service {
	opts := fields(app)
	cfgDir := path.Dir(f.Path)
	svc := &rule.Service{Dir: cfgDir, Instances: 1}
	svc.PackageType = packageType(rev.fsys, cfgDir)

	if cwd, ok := opts["cwd"]; ok {
		switch dir, note := a.mapPath(rev, cfgDir, cwd.Value, true); {
		case note != "":
			svc.Note = note
		default:
			svc.Dir = dir
		}
	}

	script, ok := opts["script"]
	switch {
	case !ok:
		svc.Note = joinNote(svc.Note, "no script option")
	case script.Value.Kind != ecosystem.KindString:
		svc.Script = script.Value.Source
		svc.Note = joinNote(svc.Note, "script is not a static string")
	default:
		svc.Script = script.Value.Str
		svc.ViaShell = pm2.ViaShell(svc.Script)
		if !svc.ViaShell {
			p, note := a.mapPath(rev, svc.Dir, script.Value, false)
			if note != "" {
				svc.Note = joinNote(svc.Note, note)
			} else {
				svc.ScriptPath = p
				if st, err := fs.Stat(rev.fsys, p); err == nil && st.Mode().IsRegular() {
					svc.ScriptExists = true
				}
			}
		}
	}

	binary := false
	if svc.ScriptExists && path.Ext(svc.ScriptPath) == "" {
		binary = isBinary(rev.fsys, svc.ScriptPath)
	}
	svc.Interpreter = pm2.Interpreter(svc.Script, binary)
	if it, ok := opts["exec_interpreter"]; ok && it.Value.Kind == ecosystem.KindString && it.Value.Str != "" {
		svc.Interpreter = it.Value.Str
	}

	instancesSet := false
	if inst, ok := opts["instances"]; ok {
		instancesSet = true
		switch inst.Value.Kind {
		case ecosystem.KindNumber:
			svc.Instances = int(inst.Value.Num)
		case ecosystem.KindString:
			if inst.Value.Str == "max" {
				svc.Instances = 0
			} else if n, err := strconv.Atoi(strings.TrimSpace(inst.Value.Str)); err == nil {
				svc.Instances = n
			}
		}
	}
	if mode, ok := opts["exec_mode"]; ok && mode.Value.Kind == ecosystem.KindString {
		svc.Cluster = strings.HasPrefix(mode.Value.Str, "cluster")
	} else if !ok {
		// FACTS §7: instances without exec_mode means cluster for node.
		svc.Cluster = instancesSet && pm2.IsNode(svc.Interpreter) && !svc.ViaShell
	}
	return svc
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
// outside the repository.
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
	if path.IsAbs(s) || strings.Contains(s, `:\`) {
		return a.suffixMatch(rev, s, wantDir)
	}
	p := path.Join(base, s)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Sprintf("%q leaves the repository", s)
	}
	return p, ""
}

// suffixMatch maps an absolute path onto the longest suffix that exists in
// the tree: /root/acme/services/api -> services/api.
func (a *run) suffixMatch(rev *revision, abs string, wantDir bool) (string, string) {
	parts := strings.Split(strings.Trim(path.Clean(strings.ReplaceAll(abs, `\`, "/")), "/"), "/")
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

// packageType reads the "type" of the nearest package.json at or above dir.
func packageType(fsys fs.FS, dir string) string {
	for d := dir; ; d = path.Dir(d) {
		data, err := fs.ReadFile(fsys, path.Join(d, "package.json"))
		if err == nil {
			var pkg struct {
				Type string `json:"type"`
			}
			if json.Unmarshal(data, &pkg) == nil {
				return pkg.Type
			}
			return ""
		}
		if d == "." || d == "/" {
			return ""
		}
	}
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

// sortFindings orders findings by path, line, rule, app and key.
func sortFindings(fs []rule.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.App != b.App {
			return a.App < b.App
		}
		return a.Key < b.Key
	})
}
