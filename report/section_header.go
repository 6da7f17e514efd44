package report

import "github.com/auditbot/auditbot/audit"

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
