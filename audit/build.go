package audit

import (
	"context"
	"fmt"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/audit/scan"
	"github.com/auditbot/auditbot/audit/secret"
)

// maxSourceHunkFiles caps how many changed source files keep their hunks
// in the document; the rest are listed without them, and a note says so.
const maxSourceHunkFiles = 30

func (a *run) document(ctx context.Context) (*Document, error) {
	involved, err := a.involved(ctx)
	if err != nil {
		return nil, err
	}
	doc := &Document{
		Schema: SchemaVersion,
		Tool:   Tool{Name: "auditbot", Version: a.opt.Version},
		Base:   commitInfo(a.rng.Base, a.rng.BaseRev),
		Head:   commitInfo(a.rng.Head, a.rng.HeadRev),
		Impact: len(involved) > 0,
	}
	if doc.Impact {
		if err := a.model(ctx, a.head, involved); err != nil {
			return nil, err
		}
		if err := a.model(ctx, a.base, involved); err != nil {
			return nil, err
		}
	}
	if err := a.changedFiles(ctx, doc, involved); err != nil {
		return nil, err
	}
	if doc.Impact {
		for _, p := range involved {
			doc.Ecosystems = append(doc.Ecosystems, a.ecosystem(p))
		}
		doc.Services, doc.Docs = a.services()
		if err := a.findings(ctx, doc); err != nil {
			return nil, err
		}
	}
	unaudited := a.unauditedAtHead(involved)
	for i := range doc.Ecosystems {
		doc.Ecosystems[i].Unaudited = unaudited[doc.Ecosystems[i].Path]
	}
	for _, n := range a.notes {
		// A note's arguments (a script, an app's name) come from the
		// repository: masked as a finding's are.
		if n.Says != nil {
			n.Says = &message.Message{ID: n.Says.ID, Args: maskArgs(n.Says.Args)}
		}
		doc.Notes = append(doc.Notes, n)
	}
	doc.Summary = summarize(doc, len(unaudited))
	nonNil(doc)
	return doc, nil
}

// unauditedAtHead notes the involved ecosystem files whose apps the
// engine did not audit at head, and returns why, by path: a symbolic link
// or submodule (not read), a file over a size or parser limit, binary or
// unparsable content, an exported function, an apps list built by a
// call, an app entry that is a call. Then no verdict can say the
// configuration is fine.
func (a *run) unauditedAtHead(involved []string) map[string]string {
	out := map[string]string{}
	for _, p := range involved {
		if why := a.skipped[p]; why != "" {
			out[p] = why
			continue
		}
		if e := a.head.errs[p]; e != nil {
			switch e.Kind {
			case ecosystem.KindSize:
				out[p] = UnauditedSize
			case ecosystem.KindLimit:
				out[p] = UnauditedLimit
			case ecosystem.KindBinary:
				out[p] = UnauditedBinary
			default:
				out[p] = UnauditedSyntax
			}
			if e.Unread() && !a.noted(p, NoteLimit) {
				a.sayNote(NoteLimit, p, e.Line, configUnreadNote(e.Msg))
			}
			continue
		}
		if f := a.head.opaque[p]; f != nil {
			if staticNoApps(f) {
				continue // known: apps-key-missing says what PM2 does
			}
			out[p] = UnauditedDynamic
			a.sayNote(NoteDynamic, p, f.Module.ExportLine, exportsNoAppsNote())
			continue
		}
		f := a.head.files[p]
		if f == nil {
			continue
		}
		if f.AppsDynamic {
			out[p] = UnauditedDynamic
			a.sayNote(NoteDynamic, p, f.AppsLine, appsComputedNote())
			continue
		}
		for _, app := range f.Apps {
			if app.Dynamic {
				out[p] = UnauditedDynamic
				a.sayNote(NoteDynamic, p, app.Line, appComputedNote(app.Index))
			}
		}
	}
	return out
}

// noted reports whether a note of kind about p was already taken.
func (a *run) noted(p, kind string) bool {
	for _, n := range a.notes {
		if n.Path == p && n.Kind == kind {
			return true
		}
	}
	return false
}

func commitInfo(c *object.Commit, rev string) Commit {
	if c == nil {
		return Commit{Rev: rev, Empty: true, SHA: emptyTree, Short: emptyTree[:7]}
	}
	subject, _, _ := strings.Cut(c.Message, "\n")
	var parents []string
	for _, h := range c.ParentHashes {
		parents = append(parents, h.String())
	}
	return Commit{
		SHA: c.Hash.String(), Short: c.Hash.String()[:7], Rev: rev,
		Subject: strings.TrimSpace(subject), Author: c.Author.Name, Date: c.Author.When.UTC(),
		Parents: parents,
	}
}

// emptyTree is git's well-known hash of the empty tree.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

func (a *run) changedFiles(ctx context.Context, doc *Document, involved []string) error {
	eco := map[string]bool{}
	for _, p := range involved {
		eco[p] = true
	}
	sources := 0
	for _, f := range a.changed {
		p := f.Path
		if p == "" {
			p = f.OldPath
		}
		cf := ChangedFile{Path: p, Status: string(f.Status)}
		if f.Status == change.Renamed {
			cf.OldPath = f.OldPath
		}
		switch {
		case eco[p] || eco[f.OldPath]:
			cf.Kind = KindEcosystem
		case a.isCode(ctx, f):
			cf.Kind = KindSource // bin/www too: source by what runs it, not by name
		case scan.IsDoc(p):
			cf.Kind = KindDoc
		default:
			cf.Kind = KindOther
		}
		keep := cf.Kind == KindEcosystem
		if cf.Kind == KindSource {
			sources++
			keep = sources <= maxSourceHunkFiles
			if sources == maxSourceHunkFiles+1 {
				a.sayNote(NoteLimit, "", 0, manySourcesNote(maxSourceHunkFiles))
			}
		}
		if cf.Kind == KindEcosystem {
			if size := a.largestSide(f); size > ecosystem.MaxFileSize {
				keep = false
				a.sayNote(NoteLimit, p, 0, configTooLargeNote(p, size, ecosystem.MaxFileSize))
			}
		}
		if keep && !f.Submodule && !f.Symlink {
			patch, err := a.patch(ctx, f)
			if err != nil {
				return err
			}
			cf.Binary = patch.Binary
			if patch.TooLarge {
				a.sayNote(NoteLimit, p, 0, tooLargeToDiffNote())
			}
			cf.Hunks = hunks(patch)
		}
		doc.Changed = append(doc.Changed, cf)
	}
	return nil
}

// isCode reports whether a changed file is code of an app of the audit
// (or a test of its service): at head for its new path, at base for its
// old one.
func (a *run) isCode(ctx context.Context, f change.File) bool {
	for _, side := range []struct {
		rev *revision
		p   string
	}{{a.head, f.Path}, {a.base, f.OldPath}} {
		if side.p == "" || side.rev.input == nil {
			continue
		}
		for _, app := range side.rev.input.Apps {
			svc := app.Service
			if svc == nil || svc.Note != "" || missingScript(svc) {
				continue
			}
			// The script is code when Node runs it (bin/www), not a
			// shell script; the service's tests are listed with its code.
			if a.inCode(ctx, side.rev, app, side.p) && (scan.IsSource(side.p) || usesGraph(app)) {
				return true
			}
			if scan.IsSource(side.p) && under(side.p, svc.Dir) && scan.IsTest(svc.Dir, side.p) && !inDependencies(side.p) {
				return true
			}
		}
	}
	return false
}

// largestSide is the size of the bigger version of a changed file.
func (a *run) largestSide(f change.File) int64 {
	var size int64
	if f.Path != "" && f.Status != change.Deleted {
		if st, err := a.headFS.Stat(f.Path); err == nil {
			size = st.Size()
		}
	}
	if f.OldPath != "" {
		if st, err := a.baseFS.Stat(f.OldPath); err == nil {
			size = max(size, st.Size())
		}
	}
	return size
}

// patch returns (and caches) the patch of a changed file.
func (a *run) patch(ctx context.Context, f change.File) (*change.Patch, error) {
	key := f.Path + "\x00" + f.OldPath
	if p, ok := a.patches[key]; ok {
		return p, nil
	}
	p, err := change.Hunks(ctx, a.repo, f)
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", f.Path, err)
	}
	a.patches[key] = p
	return p, nil
}

// hunks converts a patch to the document's form, masking secrets.
func hunks(p *change.Patch) []Hunk {
	var out []Hunk
	for _, h := range p.Hunks {
		dh := Hunk{
			OldStart: int(h.OrigStartLine), OldLines: int(h.OrigLines),
			NewStart: int(h.NewStartLine), NewLines: int(h.NewLines),
			Section: secret.RedactLine(h.Section),
		}
		old, cur := int(h.OrigStartLine), int(h.NewStartLine)
		for _, line := range strings.Split(strings.TrimSuffix(string(h.Body), "\n"), "\n") {
			if line == "" || line[0] == '\\' {
				continue // "\ No newline at end of file"
			}
			dl := DiffLine{Op: line[:1], Text: secret.RedactLine(line[1:])}
			switch dl.Op {
			case "+":
				dl.New = cur
				cur++
			case "-":
				dl.Old = old
				old++
			default:
				dl.Op = " "
				dl.Old, dl.New = old, cur
				old++
				cur++
			}
			dh.Lines = append(dh.Lines, dl)
		}
		out = append(out, dh)
	}
	return out
}

func (a *run) ecosystem(p string) Ecosystem {
	e := Ecosystem{Path: p, Status: "unchanged"}
	if f := a.changedByPath[p]; f != nil {
		e.Status = string(f.Status)
	}
	format, loadable := ecosystem.DetectFormat(p)
	e.Format, e.Loadable = string(format), loadable
	e.Base = a.ecoRev(a.base, p)
	if bp := a.basePath(p); bp != p {
		e.OldPath = bp
		e.Base = a.ecoRev(a.base, bp)
	}
	e.Head = a.ecoRev(a.head, p)
	// What could not be resolved is said once: at head, or at base when
	// the file has no model at head (deleted, broken, no longer a config).
	switch {
	case e.Head != nil:
		a.dynamicNotes(p, e.Head, false)
	case e.Base != nil:
		a.dynamicNotes(a.basePath(p), e.Base, true)
	}
	// A side that does not parse is not a revision with no apps: nothing
	// is compared across it (its options are unknown, not removed).
	if !a.unreadable(a.head, p) && !a.unreadable(a.base, a.basePath(p)) {
		e.Changes = optionChanges(e.Base, e.Head)
	}
	e.Twins = a.twins(a.head, p)
	if len(e.Twins) == 0 {
		e.Twins = a.twins(a.base, p)
	}
	return e
}

// unreadable reports whether the file p exists at rev but its apps could
// not be read: it does not parse, exports no apps list the engine can
// read, or is a symbolic link or submodule (at head).
func (a *run) unreadable(rev *revision, p string) bool {
	return rev.errs[p] != nil || rev.opaque[p] != nil || rev == a.head && a.skipped[p] != ""
}

func (a *run) ecoRev(rev *revision, p string) *EcoRev {
	if e := rev.errs[p]; e != nil {
		return &EcoRev{Error: &Position{Path: p, Line: e.Line, Msg: e.Msg}}
	}
	f := rev.files[p]
	if f == nil {
		return nil
	}
	r := &EcoRev{Module: Module{
		ModuleExports: f.Module.ModuleExports, ExportDefault: f.Module.ExportDefault,
		ExportNamedApps: f.Module.ExportNamedApps, PackageType: packageType(rev.fsys, path.Dir(p)),
	}}
	for _, app := range f.Apps {
		da := App{Name: app.Name, Line: app.Line, EndLine: app.EndLine, Dynamic: app.Dynamic}
		for _, fld := range app.Fields {
			da.Options = append(da.Options, option(fld))
		}
		r.Apps = append(r.Apps, da)
	}
	for _, u := range f.Unresolved {
		r.Unresolved = append(r.Unresolved, Unresolved{Line: u.Line, Source: secret.RedactLine(u.Source), Reason: u.Reason})
	}
	if rev.fsys != nil {
		r.StartEnvs = rule.StartEnvs(rev.fsys, f)
	}
	for _, h := range f.Deploy {
		if !strings.Contains(h.Command, "pm2") {
			continue
		}
		r.Deploy = append(r.Deploy, DeployHook{Target: h.Target, Hook: h.Hook, Line: h.Line, Dynamic: h.Dynamic,
			Command: secret.RedactLine(h.Command)})
	}
	return r
}

func (a *run) dynamicNotes(p string, r *EcoRev, base bool) {
	for _, u := range r.Unresolved {
		a.sayNote(NoteDynamic, p, u.Line, dynamicValueNote(u.Source, u.Reason, base))
	}
}

func option(f ecosystem.Field) Option {
	o := Option{Key: f.Key, Line: f.Line, Secret: f.Value.Secret}
	if f.Value.Kind == ecosystem.KindDynamic {
		o.Dynamic = true
		o.Source = f.Value.Source
	} else {
		o.Value = jsonValue(f.Value)
		if f.Value.Source != "" && (f.Value.Env != "" || f.Value.RepoPath) {
			o.Source = f.Value.Source
		}
	}
	if o.Secret {
		o.Source = ""
		o.Value = secret.Mask
	}
	return o
}

// jsonValue turns a resolved value into plain JSON data.
func jsonValue(v ecosystem.Value) any {
	if v.Secret {
		return secret.Mask
	}
	switch v.Kind {
	case ecosystem.KindString:
		return v.Str
	case ecosystem.KindNumber:
		return v.Num // Infinity and NaN included: see Option.MarshalJSON
	case ecosystem.KindBool:
		return v.Bool
	case ecosystem.KindArray:
		out := make([]any, 0, len(v.Items))
		for _, it := range v.Items {
			out = append(out, jsonValue(it))
		}
		return out
	case ecosystem.KindObject:
		out := make(map[string]any, len(v.Fields))
		for _, f := range v.Fields {
			out[f.Key] = jsonValue(f.Value)
		}
		return out
	case ecosystem.KindDynamic:
		return map[string]any{"dynamic": v.Source}
	}
	return nil
}

// optionChanges compares every option of every app, matching apps by name
// (or position when unnamed).
func optionChanges(base, head *EcoRev) []OptionChange {
	type appKey struct {
		name string
		idx  int
	}
	index := func(r *EcoRev) (map[appKey]App, []appKey) {
		m := map[appKey]App{}
		var order []appKey
		if r == nil {
			return m, nil
		}
		for i, a := range r.Apps {
			k := appKey{a.Name, -1}
			if a.Name == "" {
				k.idx = i
			}
			if _, dup := m[k]; !dup {
				order = append(order, k)
			}
			m[k] = a
		}
		return m, order
	}
	bm, border := index(base)
	hm, horder := index(head)
	keys := append([]appKey{}, horder...)
	for _, k := range border {
		if _, ok := hm[k]; !ok {
			keys = append(keys, k)
		}
	}
	var out []OptionChange
	for _, k := range keys {
		name := k.name
		if name == "" {
			name = fmt.Sprintf("#%d", k.idx)
		}
		b, h := opts(bm[k]), opts(hm[k])
		var names []string
		seen := map[string]bool{}
		for _, o := range hm[k].Options {
			if !seen[o.Key] {
				seen[o.Key] = true
				names = append(names, o.Key)
			}
		}
		for _, o := range bm[k].Options {
			if !seen[o.Key] {
				seen[o.Key] = true
				names = append(names, o.Key)
			}
		}
		for _, key := range names {
			bo, bok := b[key]
			ho, hok := h[key]
			oc := OptionChange{App: name, Key: key}
			switch {
			case bok && hok:
				oc.Before, oc.After = &bo, &ho
				oc.Change = Unchanged
				if !reflect.DeepEqual(bo.Value, ho.Value) || bo.Source != ho.Source || bo.Dynamic != ho.Dynamic {
					oc.Change = Modified
				}
			case hok:
				oc.After, oc.Change = &ho, Added
			default:
				oc.Before, oc.Change = &bo, Removed
			}
			out = append(out, oc)
		}
	}
	return out
}

func opts(a App) map[string]Option {
	m := map[string]Option{}
	for _, o := range a.Options {
		m[o.Key] = o
	}
	return m
}

// services lists the head's services (base's for files gone at head) and
// the documentation mentions found next to them.
func (a *run) services() ([]Service, []Evidence) {
	var out []Service
	docs := map[string]Evidence{}
	seen := map[string]bool{}
	for _, rev := range []*revision{a.head, a.base} {
		if rev.input == nil {
			continue
		}
		for _, app := range rev.input.Apps {
			key := a.headPath(app.File.Path) + "\x00" + app.Name()
			if rev == a.base {
				key = a.headPath(app.File.Path) + "\x00" + strings.Replace(app.Name(), app.File.Path+"#", a.headPath(app.File.Path)+"#", 1)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			s := Service{App: app.Name(), Ecosystem: app.File.Path}
			if svc := app.Service; svc != nil {
				run := app.PM2
				s.Dir, s.Script, s.ScriptPath, s.ScriptExists = svc.Dir, run.ScriptText(), svc.ScriptPath, svc.ScriptExists
				s.BuildOutput = svc.BuildOutput
				s.Interpreter, s.ViaShell, s.Instances, s.Note = run.Interpreter.Value, run.ViaShell, run.Instances.Value, svc.Note
				if !run.Instances.Known {
					s.Instances = 1 // the document has no unknown count: PM2's default, as before
				}
				if cluster, known := run.AssumedCluster(); known {
					s.Mode = string(pm2.Fork)
					if cluster {
						s.Mode = string(pm2.Cluster)
					}
				}
				s.PackageManager = run.PackageManager()
				if svc.Scan != nil {
					s.Scanned = svc.Scan.Files
					for _, e := range svc.Scan.Evidence {
						s.Evidence = append(s.Evidence, evidence(e))
					}
					for _, e := range svc.Scan.Docs {
						d := evidence(e)
						docs[fmt.Sprintf("%s\x00%09d\x00%s\x00%s", d.Path, d.Line, d.Kind, d.Detail)] = d
					}
				}
			}
			out = append(out, s)
		}
	}
	var ds []Evidence
	for _, k := range slices.Sorted(maps.Keys(docs)) {
		ds = append(ds, docs[k])
	}
	return out, ds
}

func evidence(e scan.Evidence) Evidence {
	return Evidence{
		Kind: string(e.Kind), Context: string(e.Context), Path: e.Path, Line: e.Line,
		Detail: e.Detail, Text: secret.RedactLine(e.Text),
		Guard: secret.RedactLine(e.Guard), GuardLine: e.GuardLine,
	}
}

// findings runs the rules at both revisions and classifies each finding.
func (a *run) findings(ctx context.Context, doc *Document) error {
	head := rule.Check(a.head.input)
	base := rule.Check(a.base.input)
	// A finding at base is the same as one at head when they differ only
	// by the renames of the change: base findings are compared under
	// their head paths.
	baseID := func(f *rule.Finding) string {
		g := *f
		g.Path = a.headPath(g.Path)
		if file, idx, ok := strings.Cut(g.App, "#"); ok {
			g.App = a.headPath(file) + "#" + idx
		}
		return g.Identity()
	}
	// The same problem may be about an option at one revision and about
	// none at the other (kill-signal-not-handled is about kill_timeout
	// once the change writes one): such findings are matched without
	// their option. A finding the change ties to an option it wrote is
	// introduced by the change; otherwise it persists.
	loose := func(id func(*rule.Finding) string, f *rule.Finding) string {
		g := *f
		g.Option = ""
		return id(&g)
	}
	headIdentity := func(f *rule.Finding) string { return f.Identity() }
	baseIDs := map[string]bool{}
	baseLoose := map[string]*rule.Finding{}
	for i := range base {
		baseIDs[baseID(&base[i])] = true
		baseLoose[loose(baseID, &base[i])] = &base[i]
	}
	headIDs := map[string]bool{}
	headLoose := map[string]bool{}
	for i := range head {
		headIDs[head[i].Identity()] = true
	}
	for i := range head {
		f := &head[i]
		state := Introduced
		switch b := baseLoose[loose(headIdentity, f)]; {
		case baseIDs[f.Identity()]:
			state = Persisting
		case b != nil && !headIDs[baseID(b)]:
			headLoose[loose(headIdentity, f)] = true
			if f.Option == "" || b.Option != "" {
				state = Persisting
			}
		}
		df, err := a.finding(ctx, f, state)
		if err != nil {
			return err
		}
		if state == Introduced && baseLoose[loose(headIdentity, f)] != nil {
			// The problem was there before, about no option: what the
			// change introduces is the option that relies on it.
			df.About.Variant = "option-written"
		}
		doc.Findings = append(doc.Findings, df)
	}
	for i := range base {
		f := &base[i]
		if headIDs[baseID(f)] || headLoose[loose(baseID, f)] {
			continue
		}
		if f.App != "" && a.appsUnknownAtHead(a.headPath(f.Path)) {
			// Nothing says the change fixed it: the app cannot be read
			// at head (the notes say so), not shown to be gone.
			continue
		}
		df, err := a.finding(ctx, f, Fixed)
		if err != nil {
			return err
		}
		doc.Findings = append(doc.Findings, df)
	}
	slices.SortStableFunc(doc.Findings, CompareFindings)
	return nil
}

// appsUnknownAtHead reports whether the ecosystem file at head path p is
// still there at head but its apps cannot all be read statically: it does
// not parse, exports something the engine cannot read, or computes its
// apps list or one of its apps at run time.
func (a *run) appsUnknownAtHead(p string) bool {
	if a.head.opaque[p] != nil || a.head.errs[p] != nil || a.skipped[p] != "" {
		return true
	}
	f := a.head.files[p]
	if f == nil {
		return false
	}
	if f.AppsDynamic {
		return true
	}
	for _, app := range f.Apps {
		if app.Dynamic {
			return true
		}
	}
	return false
}

func (a *run) finding(ctx context.Context, f *rule.Finding, state string) (Finding, error) {
	// A value quoted from the repository (a shell command, a script's
	// line) may carry a secret: the document holds masked arguments only.
	df := Finding{
		Rule: f.Rule, Severity: string(f.Severity), State: state, Path: f.Path, Line: f.Line,
		App: f.App, Option: f.Option, Key: f.Key, LineChange: "context",
		Message: message.Message{ID: f.Rule, Args: maskArgs(f.Args)},
		About:   f.About,
	}
	r, ok := rule.Lookup(f.Rule)
	if !ok {
		return df, fmt.Errorf("finding of unregistered rule %q", f.Rule)
	}
	meta := r.Meta()
	df.Docs = meta.Docs
	for _, id := range meta.Behaviours {
		df.Facts = append(df.Facts, pm2.BehaviourRef(id))
	}
	for _, e := range f.Evidence {
		df.Evidence = append(df.Evidence, evidence(e))
	}
	if cf := a.changedByPath[f.Path]; cf != nil && !cf.Submodule && !cf.Symlink {
		p, err := a.patch(ctx, *cf)
		if err != nil {
			return df, err
		}
		var st change.LineState
		if state == Fixed {
			st = p.LineOnOld(f.Line)
		} else {
			st = p.LineOnNew(f.Line)
		}
		if st != "" {
			df.LineChange = string(st)
		}
	}
	return df, nil
}

// maskArgs masks the arguments of a message that could carry a secret:
// every value of an argument named like a secret (SESSION_SECRET), and in
// every other text, code or location the secrets the line redactor and
// the token shapes find.
func maskArgs(args message.Args) message.Args {
	if len(args) == 0 {
		return nil
	}
	out := make(message.Args, len(args))
	for k, v := range args {
		out[k] = maskValue(v, secret.IsSecretKey(k))
	}
	return out
}

func maskValue(v message.Value, named bool) message.Value {
	switch v.Kind {
	case message.Text, message.Code, message.Option, message.Location:
		if named {
			v.Str = secret.Mask
		} else {
			// A shell command quoted in a message may assign a secret
			// (`MYSQL_PW=... pm2 start`): key=value pairs are masked too.
			v.Str = redactTokens(secret.RedactLine(v.Str))
		}
	case message.List:
		items := make([]message.Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = maskValue(it, named)
		}
		v.Items = items
	case message.Record:
		fields := make(message.Args, len(v.Fields))
		for k, f := range v.Fields {
			fields[k] = maskValue(f, named || secret.IsSecretKey(k))
		}
		v.Fields = fields
	}
	return v
}

// summarize counts the findings at head and gives the verdict: fail (an
// error at head), incomplete (part of the configuration could not be read
// statically, so nothing better than that can be claimed), warn, pass, or
// none (no PM2 impact).
func summarize(doc *Document, unaudited int) Summary {
	s := Summary{Unaudited: unaudited}
	unknown := unaudited > 0
	worst := 0
	for _, f := range doc.Findings {
		switch f.State {
		case Introduced:
			s.Introduced++
		case Fixed:
			s.Fixed++
		default:
			s.Unchanged++
		}
		if f.State == Fixed {
			continue
		}
		switch rule.Severity(f.Severity) {
		case rule.Error:
			s.Errors++
		case rule.Warning:
			s.Warnings++
		default:
			s.Infos++
		}
		worst = max(worst, rule.Severity(f.Severity).Rank())
	}
	switch {
	case !doc.Impact:
		s.Verdict = "none"
	case worst >= rule.Error.Rank():
		s.Verdict = "fail"
	case unknown:
		s.Verdict = "incomplete"
	case worst >= rule.Warning.Rank():
		s.Verdict = "warn"
	default:
		s.Verdict = "pass"
	}
	return s
}

// nonNil makes every list of the document an array in JSON, never null,
// so consumers can iterate without checks.
func nonNil(doc *Document) {
	if doc.Changed == nil {
		doc.Changed = []ChangedFile{}
	}
	if doc.Ecosystems == nil {
		doc.Ecosystems = []Ecosystem{}
	}
	if doc.Services == nil {
		doc.Services = []Service{}
	}
	if doc.Docs == nil {
		doc.Docs = []Evidence{}
	}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	if doc.Notes == nil {
		doc.Notes = []Note{}
	}
	for i := range doc.Services {
		if doc.Services[i].Evidence == nil {
			doc.Services[i].Evidence = []Evidence{}
		}
	}
}

// redactTokens masks the words of a rendered text that look like secrets
// (token shapes, credentials in URLs). Option values reach messages already
// masked by the parser; this is the second line of defence. It must not
// mask by key name: a message that names `SESSION_SECRET` goes on to list
// other options, which a line redactor would swallow.
func redactTokens(s string) string {
	return wordRE.ReplaceAllStringFunc(s, func(w string) string {
		if secret.LooksSecret(strings.Trim(w, "'\"`«»(),;.")) {
			return secret.Mask
		}
		return w
	})
}

// wordRE matches a run of non-space characters.
var wordRE = regexp.MustCompile(`\S+`)
