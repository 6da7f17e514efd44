package report

import (
	"sort"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/rule"
)

// canonical fills section 4.
func (b *builder) canonical() error {
	comment := b.cat.Phrases["dynamic_comment"]
	secret := b.cat.Phrases["secret_comment"]
	primary := map[string]bool{}
	for _, name := range b.v.Apps {
		if e := primaryEcosystem(b.doc, name); e != nil {
			primary[e.Path] = true
		}
	}
	for i := range b.doc.Ecosystems {
		e := &b.doc.Ecosystems[i]
		if e.Head == nil || (e.Head.Error == nil && !primary[e.Path]) {
			continue
		}
		cf := canonFile{Path: e.Path, Twins: e.Twins}
		if b.v.Comment {
			cf.Link = b.fileLink(e.Path, b.doc.Head.SHA)
		}
		if e.Head.Error != nil {
			cf.Broken = true
			b.v.Canon = append(b.v.Canon, cf)
			continue
		}
		// A comment shows the apps the change touches, each principle as
		// a comment on the options it is about (the full file is one
		// click away); a file report shows every app, principles in a
		// table.
		apps := e.Head.Apps
		if b.v.Comment {
			apps = touchedApps(b.doc, e)
			cf.More = len(e.Head.Apps) - len(apps)
		}
		var sb strings.Builder
		sb.WriteString("module.exports = {\n  apps: [\n")
		for ai, a := range apps {
			ca := canonApp{App: a.Name, Principles: b.principles(e, &a)}
			before := map[string][]principleRow{} // option key -> principles said above it
			var loose []principleRow              // principles of no option
			if b.v.Comment {
				for _, p := range ca.Principles {
					first := ""
					for _, k := range p.Keys {
						if first == "" || findOption(&a, k).Line < findOption(&a, first).Line {
							first = k
						}
					}
					if first == "" {
						loose = append(loose, p)
					} else {
						before[first] = append(before[first], p)
					}
				}
			}
			sb.WriteString("    {\n")
			opts := append([]audit.Option(nil), a.Options...)
			sort.SliceStable(opts, func(i, j int) bool { return opts[i].Line < opts[j].Line })
			for oi, o := range opts {
				for _, p := range before[o.Key] {
					sb.WriteString("      // " + principleComment(p) + "\n")
				}
				val, dyn := optionValue(&o)
				if _, written := asWritten(&o); !dyn && !written {
					val = jsValueIndent(o.Value, 3)
				}
				sb.WriteString("      " + jsKey(o.Key) + ": " + val)
				if oi < len(opts)-1 {
					sb.WriteByte(',')
				}
				switch {
				case dyn && o.Secret:
					sb.WriteString(" // " + secret)
				case dyn:
					sb.WriteString(" // " + comment)
				}
				sb.WriteByte('\n')
			}
			for _, p := range loose {
				d, err := b.cat.phrase("principle_defaults", "name", p.Name)
				if err != nil {
					return err
				}
				sb.WriteString("      // " + oneLine(d) + "\n")
			}
			sb.WriteString("    }")
			if ai < len(apps)-1 {
				sb.WriteByte(',')
			}
			sb.WriteByte('\n')
			if b.v.Comment {
				ca.Principles = nil // said in the code
			}
			cf.Apps = append(cf.Apps, ca)
		}
		sb.WriteString("  ]\n};")
		cf.Code = sb.String()
		b.v.Canon = append(b.v.Canon, cf)
	}
	// The list limit bounds the number of apps over all files; a file is
	// shown whole or not at all.
	if b.lim.list >= 0 {
		budget := b.lim.list
		var kept []canonFile
		for _, c := range b.v.Canon {
			if n := len(c.Apps); n > 0 && n > budget {
				break
			}
			budget -= len(c.Apps)
			kept = append(kept, c)
		}
		b.v.Canon = kept
	}
	return nil
}

// principles derives the commitments an app's configuration makes.
func (b *builder) principles(e *audit.Ecosystem, a *audit.App) []principleRow {
	svc := serviceFor(b.doc, e.Path, a.Name)
	var out []principleRow
	add := func(id string, keys ...string) {
		p, ok := b.cat.Principles[id]
		if !ok {
			return
		}
		row := principleRow{Name: p.Name, Why: p.Why}
		for _, k := range keys {
			if o := findOption(a, k); o != nil {
				v, _ := optionValue(o)
				row.Config = append(row.Config, k+": "+v)
				row.Keys = append(row.Keys, k)
			}
		}
		out = append(out, row)
	}
	mode, inst := "", 0
	if svc != nil {
		mode, inst = svc.Mode, svc.Instances
	}
	// A mode computed at run time ("") is no principle.
	switch {
	case mode == "cluster":
		add("cluster", "exec_mode", "instances")
	case mode == "fork" && inst <= 1:
		add("single_fork", "exec_mode", "instances")
	case mode == "fork":
		add("fork_many", "exec_mode", "instances")
	}
	if o := findOption(a, "watch"); o == nil || (!o.Dynamic && !truthy(o.Value)) {
		add("no_watch", "watch")
	} else {
		add("watch", "watch", "ignore_watch")
	}
	// No graceful shutdown is claimed where the engine found that the
	// code does not handle what PM2 sends (docs/pm2-behaviour.md#kill-signal).
	if (findOption(a, "kill_timeout") != nil || findOption(a, "shutdown_with_message") != nil) &&
		!b.findingOn(e.Path, a.Name, rule.KillSignalNotHandled) {
		add("graceful", "kill_timeout", "shutdown_with_message")
	}
	// Through a package manager the code runs in a child of it: the
	// handshake, node_args and the memory limit never reach it, so no
	// principle is claimed for them (the rules say why).
	viaPM := svc != nil && svc.PackageManager != ""
	wr := findOption(a, "wait_ready")
	// The handshake: process.send('ready'), or cluster.worker.send('ready')
	// in cluster mode (docs/pm2-behaviour.md#implicit-cluster-mode). A message decided at run time is neither
	// a handshake nor its absence.
	hand := len(evidenceOf(svc, evHandshake, true)) > 0 ||
		(strings.HasPrefix(mode, "cluster") && len(evidenceOf(svc, evWorker, true)) > 0)
	maybe := len(evidenceOf(svc, evPossible, true)) > 0 || len(evidenceOf(svc, evWorker, true)) > 0
	switch {
	case (wr == nil || (!wr.Dynamic && !truthy(wr.Value))) && !hand && !maybe:
		add("no_ready")
	case wr != nil && truthy(wr.Value) && hand && !viaPM && !b.findingOn(e.Path, a.Name, rule.HandshakeAbsent) &&
		!b.findingOn(e.Path, a.Name, rule.HandshakeUndecided):
		add("ready", "wait_ready", "listen_timeout")
	}
	if findOption(a, "max_restarts") != nil || findOption(a, "min_uptime") != nil || findOption(a, "autorestart") != nil {
		add("restart_policy", "autorestart", "max_restarts", "min_uptime")
	}
	if viaPM {
		return out
	}
	if findOption(a, "max_memory_restart") != nil {
		add("memory_limit", "max_memory_restart")
	}
	for _, k := range []string{"node_args", "interpreter_args"} {
		if o := findOption(a, k); o != nil {
			v, _ := optionValue(o)
			if strings.Contains(v, "max-old-space-size") {
				add("heap", k)
				break
			}
		}
	}
	return out
}

// findingOn reports whether a rule's finding remains at head for an app
// of an ecosystem file.
func (b *builder) findingOn(eco, app string, subject rule.Subject) bool {
	for _, f := range b.doc.Findings {
		if f.About.Subject == subject && f.State != audit.Fixed && f.Path == eco && f.App == app {
			return true
		}
	}
	return false
}

// touchedApps are the apps of an ecosystem file at head that the change
// touches: whose options it adds, removes or changes in any file (every
// app of an added file). All of them when it touches none (a change of
// the services' code).
func touchedApps(doc *audit.Document, e *audit.Ecosystem) []audit.App {
	touched := map[string]bool{}
	for _, x := range doc.Ecosystems {
		for _, c := range x.Changes {
			if c.Change != audit.Unchanged {
				touched[c.App] = true
			}
		}
	}
	var out []audit.App
	for _, a := range e.Head.Apps {
		if touched[a.Name] || e.Base == nil {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return e.Head.Apps
	}
	return out
}

// principleComment is a principle as a one-line JavaScript comment: its
// name (the file report's table says why, with the citation). A
// principle of no written option says it holds by PM2's defaults.
func principleComment(p principleRow) string {
	return oneLine(p.Name)
}
