package report

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/rule"
)

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

	// Source evidence, one entry per service directory and code: apps of
	// one directory whose scripts reach different code (apps/api and
	// apps/worker of one package) get an entry each.
	byDir := map[string]*sourceView{}
	var dirOrder []string
	for i := range b.doc.Services {
		s := &b.doc.Services[i]
		key := s.Dir + "\x00" + codeKey(s)
		sv := byDir[key]
		if sv == nil {
			sv = &sourceView{Dir: s.Dir, Scanned: s.Scanned, Note: s.Note}
			byDir[key] = sv
			dirOrder = append(dirOrder, key)
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
			sv.Excerpts = excerpts(s, excerptLines, b.rel)
			b.v.Excerpts = b.v.Excerpts || len(sv.Excerpts) > 0
		}
		if !contains(sv.Apps, s.App) {
			sv.Apps = append(sv.Apps, s.App)
		}
		app := findApp(b.headAppsOf(s.Ecosystem), s.App)
		na := findOption(app, "node_args") // or interpreter_args, interpreterArgs, nodeArgs
		iv := interpView{
			Eco: s.Ecosystem, App: s.App, Script: s.Script, ScriptExists: s.ScriptExists, ScriptPath: s.ScriptPath,
			BuildOutput: s.BuildOutput, Interpreter: s.Interpreter, IsNode: pm2.IsNode(s.Interpreter), ViaShell: s.ViaShell,
			Mode: s.Mode, Instances: s.Instances, PackageManager: s.PackageManager,
			ScriptDoubt: b.findingOn(s.Ecosystem, s.App, rule.ScriptNotFound),
		}
		if so := findOption(app, "script"); so == nil {
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
	b.v.Interp = capped(mergeInterp(b.v.Interp), b.lim.list)
	b.v.Notes = capped(b.v.Notes, b.lim.list)
}

// codeKey identifies the code a service's evidence comes from.
func codeKey(s *audit.Service) string {
	var b strings.Builder
	for _, e := range s.Evidence {
		b.WriteString(e.Path + ":" + strconv.Itoa(e.Line) + ":" + e.Kind + "\x00")
	}
	return b.String()
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

// nodeArgsEffect says what becomes of an app's node_args, as the engine's
// node-args-non-node-interpreter finding says it (docs/pm2-behaviour.md#interpreter-by-extension): they reach
// node (Node interpreter, or cluster workers), a non-Node interpreter
// rejects them (crash), interpreter none ignores them, or they are that
// interpreter's own flags (python's -u), on which nothing is claimed.
func (b *builder) nodeArgsEffect(s *audit.Service, iv interpView) string {
	if iv.IsNode || strings.HasPrefix(s.Mode, "cluster") {
		return "node"
	}
	for _, f := range b.doc.Findings {
		if f.State == audit.Fixed || f.App != s.App || f.Path != s.Ecosystem {
			continue
		}
		switch f.About.Subject {
		case rule.NodeArgsIgnored:
			return "ignored"
		case rule.NodeArgsRejected:
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

// excerptKinds are the evidence kinds whose lines make up the code
// excerpt of section 2: the server's listen() call, the ready handshake
// (and cluster.worker.send('ready'), and process.send with a message
// decided at run time), the stop handlers and the server close.
var excerptKinds = map[string]bool{
	evListen: true, evHandshake: true, evSignal: true, evShutdownMsg: true, evClose: true,
	evWorker: true, evPossible: true,
}

// excerptLines caps the lines of one file's excerpt.
const excerptLines = 12

// excerpts builds one excerpt per source file of a service from the lines
// its scan found. The Document keeps each evidence line's text but not the
// lines around it, so the excerpt shows exactly those lines, each run of
// consecutive lines labelled with path:line and the gaps marked.
func excerpts(svc *audit.Service, maxLines int, rel func(string) string) []codeExcerpt {
	byPath := map[string]map[int]string{}
	for _, e := range svc.Evidence {
		if !excerptKinds[e.Kind] || e.Context != ctxCode || e.Line <= 0 || strings.TrimSpace(e.Text) == "" {
			continue
		}
		if byPath[e.Path] == nil {
			byPath[e.Path] = map[int]string{}
		}
		byPath[e.Path][e.Line] = e.Text
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]codeExcerpt, 0, len(paths))
	for _, p := range paths {
		lines := make([]int, 0, len(byPath[p]))
		for l := range byPath[p] {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		ex := codeExcerpt{Path: p, Lang: sourceLang(p)}
		if len(lines) > maxLines {
			ex.More = len(lines) - maxLines
			lines = lines[:maxLines]
		}
		ex.Lines = lineRanges(lines)
		comment := "//"
		if ex.Lang == "" {
			comment = "#"
		}
		label := oneLine(rel(p))
		var sb strings.Builder
		for i, l := range lines {
			if i == 0 || l != lines[i-1]+1 {
				if i > 0 {
					sb.WriteString(comment + " …\n")
				}
				end := l
				for j := i + 1; j < len(lines) && lines[j] == end+1; j++ {
					end = lines[j]
				}
				sb.WriteString(comment + " " + label + ":" + strconv.Itoa(l))
				if end != l {
					sb.WriteString("-" + strconv.Itoa(end))
				}
				sb.WriteString("\n")
			}
			sb.WriteString(oneLine(byPath[p][l]) + "\n")
		}
		ex.Code = sb.String()
		out = append(out, ex)
	}
	return out
}

// sourceLang is the fence language of a source file the scanner reads;
// empty (and # comments) for anything else.
func sourceLang(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".js", ".cjs", ".mjs", ".jsx":
		return "javascript"
	case ".ts", ".cts", ".mts", ".tsx":
		return "typescript"
	}
	return ""
}

// mergeInterp puts the files that run an app the same way (twins) in one
// entry: the checks are said once, the node_args of each file listed.
func mergeInterp(in []interpView) []interpView {
	var out []interpView
	idx := map[string]int{}
	for _, iv := range in {
		k := iv
		k.Eco, k.NodeArgs, k.NodeArgsKey, k.NodeArgsEffect, k.Ecos, k.NodeArgsList = "", "", "", "", nil, nil
		key := fmt.Sprintf("%#v", k)
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			iv.Ecos = nil
			out = append(out, iv)
		}
		out[i].Ecos = append(out[i].Ecos, iv.Eco)
		if iv.HasNodeArgs {
			out[i].NodeArgsList = append(out[i].NodeArgsList, nodeArgsView{Eco: iv.Eco, Key: iv.NodeArgsKey, Args: iv.NodeArgs, Effect: iv.NodeArgsEffect})
		}
	}
	return out
}
