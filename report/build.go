package report

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/pm2"
)

// builder computes the view of one document in one language.
type builder struct {
	doc *audit.Document
	opt Options
	cat *catalog
	lim limits
	v   *view
}

func buildView(doc *audit.Document, opt Options, cat *catalog, lim limits) (*view, error) {
	b := &builder{doc: doc, opt: opt, cat: cat, lim: lim}
	v := &view{
		Lang:    opt.Lang,
		Date:    opt.Now.UTC().Format("2006-01-02"),
		Version: opt.Version,
		Base:    doc.Base,
		Head:    doc.Head,
		Type:    changeType(doc),
		Verdict: doc.Summary.Verdict,
		Large:   large(doc),
		Changed: doc.Changed,
		Apps:    appNames(doc),
		Summary: doc.Summary,
		Notes:   doc.Notes,
	}
	if v.Version == "" {
		v.Version = doc.Tool.Version
	}
	if v.Verdict == "" {
		v.Verdict = "none"
	}
	b.v = v
	for _, c := range doc.Changed {
		if c.Kind == audit.KindEcosystem {
			v.Scope = append(v.Scope, c.Path)
		}
	}
	if len(v.Scope) == 0 {
		for _, c := range doc.Changed {
			if c.Kind == audit.KindSource {
				v.Scope = append(v.Scope, c.Path)
			}
		}
	}
	v.Changed = capped(doc.Changed, lim.list)
	v.TitleApps = capped(v.Apps, 3)
	v.MoreApps = len(v.Apps) - len(v.TitleApps)
	if len(v.TitleApps) == 0 {
		// No app could be read (a broken or computed config): the title
		// names the files instead of leaving a blank.
		v.TitleApps = capped(v.Scope, 3)
		v.MoreApps = len(v.Scope) - len(v.TitleApps)
	}
	b.findings()
	b.objectives()
	for _, o := range b.v.Objectives {
		if len(v.TopicKeys) < 3 && ((v.Type == "removal" && o.Change == audit.Removed) || (v.Type == "addition" && o.Change == audit.Added)) {
			v.TopicKeys = appendNew(v.TopicKeys, o.Key)
		}
	}
	b.kept()
	b.audit()
	if err := b.decision(); err != nil {
		return nil, err
	}
	b.canonical()
	b.procedure()
	b.v.DeployWarn = capped(deployWarnings(doc), lim.list)
	b.risks()
	b.twins()
	b.conclusions()
	b.references()
	return v, nil
}

func (b *builder) findings() {
	all := sortedFindings(b.doc.Findings)
	counts := map[string]*ruleCount{}
	for _, f := range all {
		fv := viewFinding(f, b.opt.Lang)
		rc := counts[f.Rule]
		if rc == nil {
			rc = &ruleCount{Rule: f.Rule, Severity: f.Severity, Title: fv.Title}
			counts[f.Rule] = rc
		}
		switch f.State {
		case audit.Introduced:
			rc.Introduced++
		case audit.Fixed:
			rc.Fixed++
		default:
			rc.Unchanged++
		}
		if f.Rule == ruleHelper {
			b.v.Helpers = append(b.v.Helpers, fv)
		}
	}
	for _, rc := range counts {
		b.v.RuleCounts = append(b.v.RuleCounts, *rc)
	}
	sort.Slice(b.v.RuleCounts, func(i, j int) bool {
		a, c := b.v.RuleCounts[i], b.v.RuleCounts[j]
		if sevRank(a.Severity) != sevRank(c.Severity) {
			return sevRank(a.Severity) > sevRank(c.Severity)
		}
		return a.Rule < c.Rule
	})
	shown := capped(all, b.lim.findings)
	for _, f := range shown {
		b.v.Findings = append(b.v.Findings, viewFinding(f, b.opt.Lang))
	}
	b.v.FindingRows = groupFindings(shown, b.opt.Lang)
	b.v.FindingsHidden = len(all) - len(shown)
	b.v.Helpers = capped(b.v.Helpers, b.lim.list)
}

// groupFindings puts the findings of one rule, state, severity and app in
// one row with all their locations, in the order of their first finding.
func groupFindings(fs []audit.Finding, lang string) []findingRow {
	idx := map[string]int{}
	var out []findingRow
	for _, f := range fs {
		k := f.Rule + "\x00" + f.State + "\x00" + f.Severity + "\x00" + f.App
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, findingRow{Rule: f.Rule, Severity: f.Severity, State: f.State, App: f.App, Title: viewFinding(f, lang).Title})
		}
		out[i].Locs = appendNew(out[i].Locs, location(f.Path, f.Line))
		out[i].Items = append(out[i].Items, viewFinding(f, lang))
	}
	return out
}

// location is path:line, or path when the line is unknown.
func location(p string, line int) string {
	if line > 0 {
		return p + ":" + strconv.Itoa(line)
	}
	return p
}

// objectives groups the option changes by (change, key).
func (b *builder) objectives() {
	idx := map[string]int{}
	for _, e := range b.doc.Ecosystems {
		for _, c := range e.Changes {
			if c.Change == audit.Unchanged {
				continue
			}
			before, _ := optionValue(c.Before)
			after, _ := optionValue(c.After)
			line := 0
			if c.Before != nil {
				line = c.Before.Line
			}
			if c.Change != audit.Removed && c.After != nil {
				line = c.After.Line
			}
			bl, al := 0, 0
			if c.Before != nil {
				bl = c.Before.Line
			}
			if c.After != nil {
				al = c.After.Line
			}
			b.v.OptionChanges = append(b.v.OptionChanges, optChangeView{
				File: e.Path, App: c.App, Key: c.Key, Change: c.Change,
				Before: before, After: after, BeforeLine: bl, AfterLine: al,
			})
			k := c.Change + "\x00" + c.Key
			i, ok := idx[k]
			if !ok {
				i = len(b.v.Objectives)
				idx[k] = i
				b.v.Objectives = append(b.v.Objectives, objective{Change: c.Change, Key: c.Key})
			}
			// Apps built by one list.map share the lines of one
			// template: the same change there is said once.
			it := objItem{File: e.Path, App: c.App, Before: before, After: after, Line: line}
			if !slices.ContainsFunc(b.v.Objectives[i].Items, func(o objItem) bool {
				return o.File == it.File && o.Before == it.Before && o.After == it.After && o.Line == it.Line
			}) {
				b.v.Objectives[i].Items = append(b.v.Objectives[i].Items, it)
			}
		}
	}
	order := map[string]int{audit.Removed: 0, audit.Added: 1, audit.Modified: 2}
	sort.SliceStable(b.v.Objectives, func(i, j int) bool {
		return order[b.v.Objectives[i].Change] < order[b.v.Objectives[j].Change]
	})
	b.v.Objectives = capped(b.v.Objectives, b.lim.list)
	itemCap := b.lim.list
	if b.v.Large && (itemCap < 0 || itemCap > 10) {
		itemCap = 10 // summaries first: the full list is in the table of 1.2
	}
	for i := range b.v.Objectives {
		o := &b.v.Objectives[i]
		shown := capped(o.Items, itemCap)
		o.More = len(o.Items) - len(shown)
		o.Items = shown
	}
	b.v.OptionChanges = capped(b.v.OptionChanges, b.lim.list)
	for _, r := range groupFindings(sortedFindings(b.doc.Findings), b.opt.Lang) {
		if it, ok := b.cat.impact(r.Items[0].Finding); ok && it.Justify != "" && r.State != audit.Persisting {
			kv := append([]string{"app", mdCode(r.App)}, b.ruleValues(r.Rule, r.State)...)
			r.JustifyMD = fill(it.Justify, kv...)
		}
		switch r.State {
		case audit.Fixed:
			b.v.Fixes = append(b.v.Fixes, r)
		case audit.Introduced:
			b.v.Introductions = append(b.v.Introductions, r)
		}
	}
	b.v.Fixes = capped(b.v.Fixes, b.lim.list)
	b.v.Introductions = capped(b.v.Introductions, b.lim.list)
}

// kept lists the options the change leaves as they were, by group.
func (b *builder) kept() {
	type valFiles struct {
		order []string
		files map[string][]string
	}
	items := map[string]map[string]*valFiles{} // group -> key -> values
	for _, e := range b.doc.Ecosystems {
		for _, c := range e.Changes {
			if c.Change != audit.Unchanged || c.After == nil {
				continue
			}
			if c.After.Secret {
				continue
			}
			val, _ := optionValue(c.After)
			g := groupOf(c.Key)
			if items[g] == nil {
				items[g] = map[string]*valFiles{}
			}
			vf := items[g][c.Key]
			if vf == nil {
				vf = &valFiles{files: map[string][]string{}}
				items[g][c.Key] = vf
			}
			if _, ok := vf.files[val]; !ok {
				vf.order = append(vf.order, val)
			}
			if fs := vf.files[val]; len(fs) == 0 || fs[len(fs)-1] != e.Path {
				vf.files[val] = append(fs, e.Path)
			}
		}
	}
	// A value every file shares is written without its files; a value
	// only some files have names them (the others lack the option).
	allFiles := map[string]bool{}
	for _, keys := range items {
		for _, vf := range keys {
			for _, fs := range vf.files {
				for _, f := range fs {
					allFiles[f] = true
				}
			}
		}
	}
	n := 0
	for _, g := range groupOrder {
		if len(items[g]) == 0 {
			continue
		}
		kg := keptGroup{Group: g}
		keys := make([]string, 0, len(items[g]))
		for k := range items[g] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			vf := items[g][k]
			it := keptItem{Key: k}
			if len(vf.order) > 3 {
				it.Distinct = len(vf.order)
			} else {
				for _, val := range vf.order {
					files := vf.files[val]
					if len(vf.order) == 1 && len(files) == len(allFiles) {
						files = nil
					}
					it.Values = append(it.Values, keptValue{Value: val, Files: files})
				}
			}
			kg.Items = append(kg.Items, it)
			n++
		}
		b.v.Kept = append(b.v.Kept, kg)
	}
	if b.lim.list >= 0 && n > b.lim.list {
		b.v.Kept = nil
	}
}

// involvedKeys are the options the change or the findings are about; with
// changedOnly, only options the change touches or whose findings it
// introduces or fixes.
func (b *builder) involvedKeys(changedOnly bool) []string {
	set := map[string]bool{}
	for _, e := range b.doc.Ecosystems {
		for _, c := range e.Changes {
			if c.Change != audit.Unchanged {
				set[c.Key] = true
			}
		}
	}
	for _, f := range b.doc.Findings {
		if f.Option != "" && (!changedOnly || f.State != audit.Persisting) {
			set[f.Option] = true
		}
	}
	if !changedOnly && (set["wait_ready"] || set["listen_timeout"]) {
		// The seed's table: kill_timeout is kept, backed by the shutdown
		// handlers the scan found.
		for i := range b.doc.Ecosystems {
			for _, a := range headApps(&b.doc.Ecosystems[i]) {
				if findOption(&a, "kill_timeout") != nil {
					set["kill_timeout"] = true
				}
			}
		}
	}
	var keys []string
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func serviceDirs(doc *audit.Document) []string {
	set := map[string]bool{}
	for _, s := range doc.Services {
		if s.Dir != "" {
			set[s.Dir] = true
		}
	}
	var out []string
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// audit fills section 2.
func (b *builder) audit() {
	keys := b.involvedKeys(true)
	var pats []string
	ready := false
	for _, k := range keys {
		if optionKeyRe.MatchString(k) {
			pats = append(pats, k)
		}
		if k == "wait_ready" || k == "listen_timeout" {
			ready = true
		}
	}
	if ready {
		pats = append(pats, `process\.send`)
	}
	dirs := serviceDirs(b.doc)
	if len(pats) > 0 {
		pattern := shellQuote(strings.Join(pats, "|"))
		var qd []string
		for _, d := range dirs {
			if d != "." {
				qd = append(qd, shellQuote(d))
			}
		}
		git := "git grep -n -E " + pattern + " " + b.doc.Head.SHA
		plain := "grep -rnE " + pattern
		if len(qd) > 0 {
			git += " -- " + strings.Join(qd, " ")
			plain += " " + strings.Join(qd, " ")
		} else {
			plain += " ."
		}
		b.v.GrepGit, b.v.GrepPlain = git, plain
	}
	keySet := map[string]bool{}
	for _, k := range keys {
		keySet[k] = true
	}
	for _, e := range b.doc.Ecosystems {
		for _, side := range []string{"base", "head"} {
			var lines []int
			var items []string
			change := ""
			for _, c := range e.Changes {
				if !keySet[c.Key] {
					continue
				}
				o := c.After
				if side == "base" {
					o = c.Before
				}
				if o == nil {
					continue
				}
				if side == "head" && c.Change == audit.Unchanged {
					continue
				}
				if side == "base" && c.Change == audit.Unchanged {
					continue
				}
				val, _ := optionValue(o)
				lines = append(lines, o.Line)
				items = appendNew(items, c.Key+": "+val)
				if change == "" {
					change = c.Change
				} else if change != c.Change {
					change = "mixed"
				}
			}
			if len(items) == 0 {
				continue
			}
			sha := b.doc.Head.Short
			if side == "base" {
				sha = b.doc.Base.Short
			}
			b.v.ConfigHits = append(b.v.ConfigHits, configHit{Path: e.Path, Rev: side, SHA: sha, Lines: lineRanges(lines), Items: items, Change: change})
		}
		for _, r := range []*audit.EcoRev{e.Base, e.Head} {
			if r != nil && r.Error != nil {
				p := *r.Error
				if p.Path == "" {
					p.Path = e.Path
				}
				b.v.Broken = append(b.v.Broken, p)
			}
		}
	}
	b.v.ConfigHits = capped(b.v.ConfigHits, b.lim.list)

	// Documentation mentions, grouped by file.
	docs := map[string]*docHit{}
	docLines := map[string][]int{}
	var docOrder []string
	for _, d := range b.doc.Docs {
		h := docs[d.Path]
		if h == nil {
			h = &docHit{Path: d.Path}
			docs[d.Path] = h
			docOrder = append(docOrder, d.Path)
		}
		docLines[d.Path] = append(docLines[d.Path], d.Line)
		// Only option mentions name an option; the detail of other kinds
		// (a ready mention's reason code) is not one.
		if d.Kind == evOptionMention && d.Detail != "" && !contains(h.Options, d.Detail) {
			h.Options = append(h.Options, d.Detail)
		}
	}
	sort.Strings(docOrder)
	for _, p := range docOrder {
		h := docs[p]
		h.Lines = lineRanges(docLines[p])
		sort.Strings(h.Options)
		b.v.DocHits = append(b.v.DocHits, *h)
	}
	b.v.DocHits = capped(b.v.DocHits, b.lim.list)

	// Source evidence, one entry per service directory.
	byDir := map[string]*sourceView{}
	var dirOrder []string
	for i := range b.doc.Services {
		s := &b.doc.Services[i]
		sv := byDir[s.Dir]
		if sv == nil {
			sv = &sourceView{Dir: s.Dir, Scanned: s.Scanned, Note: s.Note}
			byDir[s.Dir] = sv
			dirOrder = append(dirOrder, s.Dir)
			sv.Handshake = evidenceOf(s, evHandshake, true)
			sv.Worker = evidenceOf(s, evWorker, true)
			sv.Possible = evidenceOf(s, evPossible, true)
			sv.Tests = testEvidence(s)
			sv.Mentions = evidenceOf(s, evReadyMention, false)
			sv.Signals = evidenceOf(s, evSignal, true)
			sv.ShutdownMs = evidenceOf(s, evShutdownMsg, true)
			sv.Listen = evidenceOf(s, evListen, true)
			sv.Close = evidenceOf(s, evClose, true)
			sv.Routes = evidenceOf(s, evRoute, true)
			sv.Ports = evidenceOf(s, evPortDefault, true)
			sv.Excerpts = excerpts(s, excerptLines)
			b.v.Excerpts = b.v.Excerpts || len(sv.Excerpts) > 0
		}
		if !contains(sv.Apps, s.App) {
			sv.Apps = append(sv.Apps, s.App)
		}
		app := findApp(b.headAppsOf(s.Ecosystem), s.App)
		na := findOption(app, "node_args")
		for _, alias := range []string{"interpreter_args", "interpreterArgs", "nodeArgs"} {
			if na == nil {
				na = findOption(app, alias)
			}
		}
		iv := interpView{
			Eco: s.Ecosystem, App: s.App, Script: s.Script, ScriptExists: s.ScriptExists, ScriptPath: s.ScriptPath,
			BuildOutput: s.BuildOutput, Interpreter: s.Interpreter, IsNode: pm2.IsNode(s.Interpreter), ViaShell: s.ViaShell,
			Mode: s.Mode, Instances: s.Instances, PackageManager: pm2.PackageManager(s.Script),
		}
		if so := findOption(app, "script"); so == nil && findOption(app, "exec") == nil {
			iv.NoScript = app != nil && !app.Dynamic
		} else if so != nil && so.Dynamic {
			iv.ScriptDynamic = true
		}
		if na != nil {
			iv.NodeArgs, _ = optionValue(na)
			iv.NodeArgsKey = na.Key
			iv.HasNodeArgs = true
			iv.NodeArgsEffect = b.nodeArgsEffect(s, iv)
		}
		b.v.Interp = append(b.v.Interp, iv)
	}
	sort.Strings(dirOrder)
	for _, d := range dirOrder {
		sv := byDir[d]
		sort.Strings(sv.Apps)
		sv.Routes = capped(sv.Routes, 20)
		sv.Possible = capped(sv.Possible, 20)
		sv.Tests = capped(sv.Tests, 20)
		sv.WaitReady = b.waitsForReady(sv.Apps)
		b.v.Sources = append(b.v.Sources, *sv)
	}
	b.v.Sources = capped(b.v.Sources, b.lim.list)
	sort.SliceStable(b.v.Interp, func(i, j int) bool {
		if b.v.Interp[i].Eco != b.v.Interp[j].Eco {
			return b.v.Interp[i].Eco < b.v.Interp[j].Eco
		}
		return b.v.Interp[i].App < b.v.Interp[j].App
	})
	b.v.Interp = capped(b.v.Interp, b.lim.list)
	b.v.Notes = capped(b.v.Notes, b.lim.list)
}

func (b *builder) headAppsOf(eco string) []audit.App {
	for i := range b.doc.Ecosystems {
		if b.doc.Ecosystems[i].Path == eco {
			return headApps(&b.doc.Ecosystems[i])
		}
	}
	return nil
}

func (b *builder) baseAppsOf(eco string) []audit.App {
	for i := range b.doc.Ecosystems {
		e := &b.doc.Ecosystems[i]
		if e.Path == eco && e.Base != nil && e.Base.Error == nil {
			return e.Base.Apps
		}
	}
	return nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// hunks renders the Antes/Después blocks of the changed ecosystem files.
func (b *builder) hunks() {
	formats := map[string]string{}
	for _, e := range b.doc.Ecosystems {
		formats[e.Path] = e.Format
	}
	for _, c := range b.doc.Changed {
		if (c.Kind != audit.KindEcosystem && c.Kind != audit.KindSource) || len(c.Hunks) == 0 {
			continue
		}
		hf := hunkFile{Path: c.Path, Lang: ecoLang(formats[c.Path], c.Path), Source: c.Kind == audit.KindSource}
		for _, h := range c.Hunks {
			var before, after []string
			for _, l := range h.Lines {
				switch l.Op {
				case "-":
					before = append(before, l.Text)
				case "+":
					after = append(after, l.Text)
				default:
					before = append(before, l.Text)
					after = append(after, l.Text)
				}
			}
			hf.Blocks = append(hf.Blocks, hunkBlock{
				Old:    span(h.OldStart, h.OldLines),
				New:    span(h.NewStart, h.NewLines),
				Before: dedent(before),
				After:  dedent(after),
			})
		}
		b.v.Hunks = append(b.v.Hunks, hf)
	}
	// The list limit bounds the number of blocks over all files.
	if b.lim.list >= 0 {
		budget := b.lim.list
		var kept []hunkFile
		for _, h := range b.v.Hunks {
			if budget <= 0 {
				break
			}
			shown := capped(h.Blocks, budget)
			h.More = len(h.Blocks) - len(shown)
			h.Blocks = shown
			budget -= len(shown)
			kept = append(kept, h)
		}
		b.v.Hunks = kept
	}
}

func span(start, n int) string {
	if n <= 1 {
		return strconv.Itoa(start)
	}
	return strconv.Itoa(start) + "-" + strconv.Itoa(start+n-1)
}

// dedent removes the indentation common to every non-blank line.
func dedent(lines []string) string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			out[i] = ""
		case common > 0:
			out[i] = strings.TrimRight(l[common:], " \t")
		default:
			// A line at column 0 (`module.exports = {`, a YAML key):
			// nothing is common, every line keeps its indentation.
			out[i] = strings.TrimRight(l, " \t")
		}
	}
	return strings.Join(out, "\n")
}

// nodeArgsEffect says what becomes of an app's node_args, as the engine's
// node-args-non-node-interpreter finding says it (FACTS §6): they reach
// node (Node interpreter, or cluster workers), a non-Node interpreter
// rejects them (crash), interpreter none ignores them, or they are that
// interpreter's own flags (python's -u), on which nothing is claimed.
func (b *builder) nodeArgsEffect(s *audit.Service, iv interpView) string {
	if iv.IsNode || strings.HasPrefix(s.Mode, "cluster") {
		return "node"
	}
	for _, f := range b.doc.Findings {
		if f.Rule == "node-args-non-node-interpreter" && f.State != audit.Fixed && f.App == s.App && f.Path == s.Ecosystem {
			if e, ok := f.Args["effect"].(string); ok && e == "ignored" {
				return "ignored"
			}
			return "crash"
		}
	}
	if s.Interpreter == "none" || s.ViaShell {
		return "ignored"
	}
	return "interp"
}

// waitsForReady reports whether any of the named apps sets wait_ready
// (true or computed at run time) at either revision: only then does the
// absence of a handshake in the code matter.
func (b *builder) waitsForReady(apps []string) bool {
	for i := range b.doc.Ecosystems {
		e := &b.doc.Ecosystems[i]
		for _, rev := range []*audit.EcoRev{e.Base, e.Head} {
			if rev == nil {
				continue
			}
			for _, name := range apps {
				if o := findOption(findApp(rev.Apps, name), "wait_ready"); o != nil && (o.Dynamic || truthy(o.Value)) {
					return true
				}
			}
		}
	}
	return false
}
