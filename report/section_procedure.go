package report

import (
	"path"
	"slices"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/pm2"
)

// procedure fills section 5.
func (b *builder) procedure() {
	atBase := map[string]bool{}
	atHead := map[string]bool{}
	blocked := map[string]*audit.Ecosystem{} // apps of files unparsable at head
	changed := map[string]bool{}
	for i := range b.doc.Ecosystems {
		e := &b.doc.Ecosystems[i]
		if e.Base != nil {
			for _, a := range e.Base.Apps {
				atBase[a.Name] = true
			}
		}
		if e.Head != nil && e.Head.Error != nil && e.Base != nil {
			for _, a := range e.Base.Apps {
				blocked[a.Name] = e
			}
		}
		for _, a := range headApps(e) {
			atHead[a.Name] = true
			if e.Status == "added" {
				changed[a.Name] = true
			}
		}
		for _, c := range e.Changes {
			if c.Change != audit.Unchanged {
				changed[c.App] = true
			}
		}
	}
	for _, name := range b.v.Apps {
		if e := blocked[name]; e != nil && !atHead[name] {
			b.v.Proc = append(b.v.Proc, procView{App: name, Dir: path.Dir(e.Path), File: path.Base(e.Path), Exists: true, Blocked: true, Apply: "delete-start"})
			continue
		}
		if !atHead[name] {
			if atBase[name] {
				b.v.Deleted = append(b.v.Deleted, name)
			}
			continue
		}
		e := primaryEcosystem(b.doc, name)
		if e == nil {
			continue
		}
		app := findApp(headApps(e), name)
		svc := serviceFor(b.doc, e.Path, name)
		pv := procView{App: name, Dir: path.Dir(e.Path), File: path.Base(e.Path), Exists: atBase[name], Envs: envNames(app)}
		pv.DefaultFile = pv.File == defaultEcoFile
		switch {
		case changed[name] && atBase[name]:
			pv.Apply = "delete-start"
		case changed[name] || !atBase[name]:
			pv.Apply = "start"
		case svc != nil && strings.HasPrefix(svc.Mode, "cluster"):
			pv.Apply = "reload"
		default:
			pv.Apply = "restart"
		}
		pv.Port, pv.PortSource, _ = portOf(app, svc)
		pv.Health = healthRoutes(svc)
		b.v.Proc = append(b.v.Proc, pv)
	}
	b.v.Proc = capped(b.v.Proc, b.lim.list)
	b.v.Deleted = capped(b.v.Deleted, b.lim.list)
}

// deployWarning says that a file's own deploy hook applies it with a
// command that keeps the options this change removes.
type deployWarning struct {
	File    string // the ecosystem file, repository-relative
	Target  string
	Hook    string
	Line    int
	Command string
	Apps    []string
	Keys    []string
	// Fix is the one-time command that applies the file exactly.
	Fix string
}

// deployWarnings finds, for every ecosystem file whose apps lose options
// in this change, the deploy hooks of that file (at head) that re-read it
// with a command that keeps removed keys on running apps (FACTS §11).
func deployWarnings(doc *audit.Document) []deployWarning {
	var out []deployWarning
	for i := range doc.Ecosystems {
		e := &doc.Ecosystems[i]
		if e.Head == nil || e.Head.Error != nil || e.Base == nil {
			continue
		}
		var apps, keys []string
		for _, c := range e.Changes {
			if c.Change == audit.Removed && !strings.HasPrefix(c.Key, "env") {
				apps = appendNew(apps, c.App)
				keys = appendNew(keys, c.Key)
			}
		}
		if len(keys) == 0 {
			continue
		}
		slices.Sort(apps)
		slices.Sort(keys)
		base := path.Base(e.Path)
		for _, h := range e.Head.Deploy {
			if h.Dynamic || pm2.DeletesFirst(h.Command) {
				continue
			}
			for _, fc := range pm2.FileCommands(h.Command) {
				if path.Base(fc.File) != base {
					continue
				}
				var del []string
				for _, a := range apps {
					del = append(del, "pm2 delete "+shellQuote(a))
				}
				fix := strings.Join(del, " && ") + " && pm2 start " + shellQuote(fc.File)
				if fc.Env != "" {
					fix += " --env " + shellQuote(fc.Env)
				}
				out = append(out, deployWarning{File: e.Path, Target: h.Target, Hook: h.Hook, Line: h.Line,
					Command: h.Command, Apps: apps, Keys: keys, Fix: fix})
				break
			}
		}
	}
	return out
}
