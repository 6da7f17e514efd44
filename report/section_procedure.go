package report

import (
	"path"
	"slices"
	"strconv"
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
		pv.Env = startEnv(e)
		for _, n := range pv.Envs {
			if n != pv.Env {
				pv.OtherEnvs = append(pv.OtherEnvs, n)
			}
		}
		if (pv.Apply == "start" || pv.Apply == "delete-start") && pm2.OnlySplits(name) {
			pv.NoOnly = true
			pv.WholeFile = wholeFileCommand(pv, pv.Apply == "delete-start")
		}
		pv.Cmd = applyCommand(pv)
		pv.Port, pv.PortSource, _ = portOf(app, svc)
		pv.Health = healthRoutes(svc)
		b.v.Proc = append(b.v.Proc, pv)
	}
	for _, p := range b.v.Proc {
		if p.NoOnly {
			b.v.ApplyNoOnly = append(b.v.ApplyNoOnly, p.App)
		}
		if p.Blocked || p.Cmd == "" {
			continue
		}
		b.v.Apply = append(b.v.Apply, p.Cmd)
		b.v.ApplyRestartNote = b.v.ApplyRestartNote || p.Apply == "delete-start"
	}
	if len(b.v.Apply) > maxApply {
		more := len(b.v.Apply) - maxApply
		b.v.Apply = append(b.v.Apply[:maxApply:maxApply], b.fill(b.cat.Phrases["apply_more"], "n", strconv.Itoa(more), "section", "§procedure§"))
	}
	b.v.Proc = capped(b.v.Proc, b.lim.list)
	b.v.Deleted = capped(b.v.Deleted, b.lim.list)
}

// maxApply caps the apply commands of the first screen.
const maxApply = 5

// startEnv is the --env name the repository starts the file with (its
// deploy hooks, the package.json scripts beside it, a Dockerfile;
// docs/pm2-behaviour.md#env-name): the procedure starts the app the same way. "" when none does.
func startEnv(e *audit.Ecosystem) string {
	if e.Head == nil {
		return ""
	}
	if len(e.Head.StartEnvs) > 0 {
		return e.Head.StartEnvs[0]
	}
	for _, h := range e.Head.Deploy {
		for _, fc := range pm2.FileCommands(h.Command) {
			if fc.Env != "" && path.Base(fc.File) == path.Base(e.Path) {
				return fc.Env
			}
		}
	}
	return ""
}

// startArgs are the arguments after `pm2 start`: the file, the one app
// (--only, so no other app of the file is started or restarted) and the
// environment the repository uses.
// Names PM2 would read as options are written so that it does not
// (pm2.FlagArgs, docs/pm2-behaviour.md#cli-option-like-names).
func startArgs(p procView) string {
	args := append([]string{pm2.FileArg(p.File)}, pm2.FlagArgs("--only", p.App)...)
	if p.Env != "" {
		args = append(args, pm2.FlagArgs("--env", p.Env)...)
	}
	return shellQuoteAll(args)
}

// pm2App is the shell command `pm2 <verb> <app> <flags>`, the app given so
// that PM2 reads it as that app's name whatever it is (pm2.AppArgs,
// docs/pm2-behaviour.md#cli-option-like-names).
func pm2App(verb, app string, flags ...string) string {
	return "pm2 " + shellQuoteAll(pm2.AppArgs(verb, app, flags...))
}

// applyCommand is the one command that applies the change to a running
// app, from the repository's root: delete and start from the file when its
// configuration changed (pm2 restart would not read it, docs/pm2-behaviour.md#file-commands-keep-removed-keys), start
// a new app, reload or restart for a change of code only.
// No command applies the change to an app --only cannot select (NoOnly): "".
func applyCommand(p procView) string {
	if p.NoOnly {
		return ""
	}
	switch p.Apply {
	case "delete-start":
		return inDir(p.Dir, pm2App("delete", p.App)+" && pm2 start "+startArgs(p))
	case "start":
		return inDir(p.Dir, "pm2 start "+startArgs(p))
	default:
		return pm2App(p.Apply, p.App)
	}
}

// wholeFileCommand starts every app of the file, after deleting the app
// first when del: what starts an app whose name no --only selects
// (docs/pm2-behaviour.md#only-splits-names).
func wholeFileCommand(p procView, del bool) string {
	args := []string{pm2.FileArg(p.File)}
	if p.Env != "" {
		args = append(args, pm2.FlagArgs("--env", p.Env)...)
	}
	cmd := "pm2 start " + shellQuoteAll(args)
	if del {
		cmd = pm2App("delete", p.App) + " && " + cmd
	}
	return inDir(p.Dir, cmd)
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
	// WholeFile says Fix starts the whole file: an app's name has a
	// comma or a space, so no --only selects it (pm2.OnlySplits).
	WholeFile bool
}

// deployWarnings finds, for every ecosystem file whose apps lose options
// in this change, the deploy hooks of that file (at head) that re-read it
// with a command that keeps removed keys on running apps (docs/pm2-behaviour.md#file-commands-keep-removed-keys).
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
					del = append(del, pm2App("delete", a))
				}
				// --only: the other apps of the file keep running untouched,
				// unless --only cannot select one of these apps.
				whole := slices.ContainsFunc(apps, pm2.OnlySplits)
				start := []string{pm2.FileArg(fc.File)}
				if !whole {
					start = append(start, pm2.FlagArgs("--only", strings.Join(apps, ","))...)
				}
				if fc.Env != "" {
					start = append(start, pm2.FlagArgs("--env", fc.Env)...)
				}
				fix := strings.Join(del, " && ") + " && pm2 start " + shellQuoteAll(start)
				out = append(out, deployWarning{File: e.Path, Target: h.Target, Hook: h.Hook, Line: h.Line,
					Command: h.Command, Apps: apps, Keys: keys, Fix: fix, WholeFile: whole})
				break
			}
		}
	}
	return out
}
