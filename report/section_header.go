package report

import (
	"path"
	"strings"

	"github.com/auditbot/auditbot/audit"
)

// builder computes the view of one document in one language.
type builder struct {
	doc *audit.Document
	opt Options
	cat *catalog
	lim limits
	v   *view
	// ids name the finding rows (rowKey -> H1...).
	ids map[string]string
	// err is the first catalog text that could not be filled (fill):
	// buildView returns it.
	err error
}

// view phrases a finding in the report's language; a failure is kept in
// b.err, like fill's.
func (b *builder) view(f audit.Finding) findingView {
	v, err := b.cat.viewFinding(f)
	if err != nil && b.err == nil {
		b.err = err
	}
	return v
}

// fill fills a catalog text; a failure is kept in b.err, which buildView
// returns, so sections can fill texts without an error path of their own.
func (b *builder) fill(src string, kv ...string) string {
	s, err := b.cat.fill(src, kv...)
	if err != nil && b.err == nil {
		b.err = err
	}
	return s
}

func buildView(doc *audit.Document, opt Options, cat *catalog, lim limits) (*view, error) {
	b := &builder{doc: doc, opt: opt, cat: cat, lim: lim}
	v := &view{
		Lang:    opt.Lang,
		Date:    md(opt.Now.UTC().Format("2006-01-02")),
		Version: opt.Version,
		Base:    doc.Base,
		Head:    doc.Head,
		Type:    changeType(doc),
		Verdict: doc.Summary.Verdict,
		Large:   large(doc),
		Changed: doc.Changed,
		Apps:    appNames(doc),
		Summary: doc.Summary,
	}
	if v.Version == "" {
		v.Version = doc.Tool.Version
	}
	if v.Verdict == "" {
		v.Verdict = "none"
	}
	notes, err := cat.viewNotes(doc.Notes)
	if err != nil {
		return nil, err
	}
	v.Notes = notes
	v.Root = commonRoot(doc)
	if base := strings.TrimRight(opt.RepoURL, "/"); opt.Comment && base != "" && safeURL(base) != "" {
		v.Comment = true
		v.CompareURL = md(base + "/compare/" + linkPath(doc.Base.SHA) + "..." + linkPath(doc.Head.SHA))
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
	v.ScopeOnly = len(v.Scope) == len(doc.Changed)
	for _, c := range doc.Changed {
		if c.Status != "modified" || c.OldPath != "" || c.Kind != audit.KindEcosystem {
			v.ScopeOnly = false
		}
	}
	if lim.list >= 0 && len(doc.Changed) > lim.list {
		v.ScopeOnly = false
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
	for _, h := range v.ConfigHits {
		v.ConfigHitsInContext = v.ConfigHitsInContext || (v.Comment && h.Change != "" && len(v.Objectives) > 0)
	}
	if err := b.decision(); err != nil {
		return nil, err
	}
	if err := b.canonical(); err != nil {
		return nil, err
	}
	b.procedure()
	b.v.DeployWarn = capped(deployWarnings(doc), lim.list)
	b.risks()
	b.twins()
	b.conclusions()
	b.references()
	b.detailsElsewhere()
	if b.err != nil {
		return nil, b.err
	}
	return v, nil
}

// commonRoot is the deepest directory every path the report names is
// under: changed files, ecosystem files, service directories, evidence,
// documentation mentions, findings and notes. "." when there is none.
func commonRoot(doc *audit.Document) string {
	var dirs [][]string
	add := func(dir string) {
		if dir == "" {
			return
		}
		d := path.Clean(dir)
		if d == "." || strings.HasPrefix(d, "/") || strings.HasPrefix(d, "..") {
			dirs = append(dirs, nil)
			return
		}
		dirs = append(dirs, strings.Split(d, "/"))
	}
	file := func(p string) {
		if p != "" {
			add(path.Dir(p))
		}
	}
	for _, c := range doc.Changed {
		file(c.Path)
		file(c.OldPath)
	}
	for _, e := range doc.Ecosystems {
		file(e.Path)
		for _, t := range e.Twins {
			file(t)
		}
	}
	for _, s := range doc.Services {
		add(s.Dir)
		file(s.Ecosystem)
		for _, e := range s.Evidence {
			file(e.Path)
		}
	}
	for _, d := range doc.Docs {
		file(d.Path)
	}
	for _, f := range doc.Findings {
		file(f.Path)
		for _, e := range f.Evidence {
			file(e.Path)
		}
	}
	for _, n := range doc.Notes {
		file(n.Path)
	}
	if len(dirs) == 0 {
		return "."
	}
	common := dirs[0]
	for _, d := range dirs[1:] {
		n := 0
		for n < len(common) && n < len(d) && common[n] == d[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return "."
	}
	return strings.Join(common, "/")
}

// relTo shows p relative to root in prose; commands keep full paths.
func relTo(root, p string) string {
	if root == "." || root == "" {
		return p
	}
	if p == root {
		return "."
	}
	if r, ok := strings.CutPrefix(p, root+"/"); ok {
		return r
	}
	return p
}

// rel is relTo the report's root.
func (b *builder) rel(p string) string { return relTo(b.v.Root, p) }

// detailsElsewhere marks the finding rows a section shows in full: the
// rows of a twin pair whose options section 7 compares (when the pair's
// table is there), and in a comment the fixed rows whose before and after
// section 3 states, so the findings list says them once, by reference;
// and the next steps a twin pair's recommendation answers.
func (b *builder) detailsElsewhere() {
	in := map[string]string{}
	for _, t := range b.v.Twins {
		if t.Missing != "" || t.SameOptions {
			continue
		}
		for _, id := range t.IDs {
			in[id] = "variants"
		}
	}
	if b.v.Comment {
		// A comment says a fixed finding once, in its before and after
		// (section 3); its message would repeat them.
		impact := map[md]bool{}
		for _, r := range b.v.Impacts {
			impact[r.ID] = true
		}
		for _, r := range b.v.FixedRows {
			if impact[r.ID] && in[string(r.ID)] == "" {
				in[string(r.ID)] = "decision"
			}
		}
	}
	for i := range b.v.FindingRows {
		b.v.FindingRows[i].DetailIn = in[string(b.v.FindingRows[i].ID)]
	}
	for i, s := range b.v.NextSteps {
		all := len(s.IDs) > 0
		for _, id := range s.IDs {
			all = all && in[id] == "variants"
		}
		if all {
			b.v.NextSteps[i].In = "variants"
		}
	}
}
