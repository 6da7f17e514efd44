package report

import (
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/pm2"
)

// decision fills section 3: hunks, justification, impact, risk.
func (b *builder) decision() error {
	b.hunks()
	c := b.cat
	for _, key := range b.involvedKeys(false) {
		row := justRow{Purpose: c.Purpose[key]}
		var vals []string
		change := ""
		for _, e := range b.doc.Ecosystems {
			for _, ch := range e.Changes {
				if ch.Key != key {
					continue
				}
				o := ch.After
				if o == nil {
					o = ch.Before
				}
				if val, _ := optionValue(o); val != "" && !contains(vals, val) {
					vals = append(vals, val)
				}
				if change == "" || ch.Change != audit.Unchanged {
					change = ch.Change
				}
			}
		}
		if len(vals) == 0 {
			row.Option = key
		} else {
			row.Option = key + ": " + strings.Join(vals, " / ")
		}
		if change == "" {
			change = audit.Unchanged
		}
		action, err := c.word("action", change)
		if err != nil {
			return err
		}
		row.Action = action
		state, err := b.optionState(key)
		if err != nil {
			return err
		}
		row.StateMD = state
		row.change = change
		b.v.Justif = append(b.v.Justif, row)
	}
	rank := map[string]int{audit.Removed: 0, audit.Added: 1, audit.Modified: 2, audit.Unchanged: 3}
	sort.SliceStable(b.v.Justif, func(i, j int) bool { return rank[b.v.Justif[i].change] < rank[b.v.Justif[j].change] })
	b.v.Justif = capped(b.v.Justif, b.lim.list)

	seenDocs := map[string]bool{}
	seenRule := map[string]bool{}
	for _, f := range sortedFindings(b.doc.Findings) {
		fv := viewFinding(f, b.opt.Lang)
		if u := docsURL(f); u != "" && !seenDocs[u] {
			seenDocs[u] = true
			b.v.Refs = append(b.v.Refs, docRef{Title: fv.Title, URL: u})
		}
		if f.State == audit.Introduced && (f.Severity == "error" || f.Severity == "warning") {
			b.v.Risky = append(b.v.Risky, fv)
		}
		if f.State == audit.Persisting || seenRule[f.Rule+f.State] {
			continue
		}
		seenRule[f.Rule+f.State] = true
		row := impactRow{Title: fv.Title}
		problem, resolved := mdInline(fv.Message), c.Phrases["impact_generic_resolved"]
		if it, ok := c.impact(f); ok {
			vals := b.ruleValues(f.Rule, f.State)
			problem, resolved = fill(it.Problem, vals...), fill(it.Resolved, vals...)
			if it.Removed != "" && f.State == audit.Fixed && b.optionRemoved(f) {
				resolved = fill(it.Removed, vals...)
			}
		}
		if f.State == audit.Fixed {
			row.BeforeMD, row.AfterMD = problem, resolved
		} else {
			row.BeforeMD, row.AfterMD = resolved, problem
		}
		b.v.Impacts = append(b.v.Impacts, row)
	}
	b.v.Refs = capped(b.v.Refs, b.lim.list)
	b.v.Risky = capped(b.v.Risky, b.lim.list)
	b.v.Impacts = capped(b.v.Impacts, b.lim.list)
	return nil
}

// ruleValues gives the placeholders of a rule's impact text: {ms}, the
// listen_timeout the affected apps had (or PM2's default), {option} and
// {app}.
func (b *builder) ruleValues(rule, state string) []string {
	var ms, apps, opts []string
	for _, f := range b.doc.Findings {
		if f.Rule != rule || f.State != state {
			continue
		}
		apps = appendNew(apps, f.App)
		opts = appendNew(opts, f.Option)
		// The engine's own figure, as its message says it
		// (listen_timeout: Infinity is 1 ms for Node's timers).
		if n, ok := numeric(f.Args["listen_timeout"]); ok && n > 0 && !math.IsInf(n, 0) {
			ms = appendNew(ms, strconv.FormatFloat(n, 'f', -1, 64))
			continue
		}
		var app *audit.App
		if state == audit.Fixed {
			app = findApp(b.baseAppsOf(f.Path), f.App)
		} else {
			app = findApp(b.headAppsOf(f.Path), f.App)
		}
		if app == nil {
			continue
		}
		if o := findOption(app, "listen_timeout"); o != nil && !o.Dynamic {
			if n, ok := numeric(o.Value); ok && n > 0 && n <= math.MaxInt32 {
				ms = appendNew(ms, strconv.FormatFloat(n, 'f', -1, 64))
				continue
			}
		}
		ms = appendNew(ms, strconv.Itoa(defaultListenMS))
	}
	if len(ms) == 0 {
		ms = []string{strconv.Itoa(defaultListenMS)}
	}
	codes := func(xs []string) string {
		var out []string
		for _, x := range xs {
			out = append(out, mdCode(x))
		}
		return strings.Join(out, ", ")
	}
	return []string{"ms", strings.Join(ms, " / "), "app", codes(apps), "option", codes(opts)}
}

func appendNew(s []string, x string) []string {
	if x == "" || contains(s, x) {
		return s
	}
	return append(s, x)
}

// optionState says what the service's code shows about an option.
func (b *builder) optionState(key string) (string, error) {
	c := b.cat
	var parts []string
	locs := func(evs []audit.Evidence, withDetail bool) string {
		var out []string
		for _, e := range capped(evs, 5) {
			s := mdCode(e.Path + ":" + strconv.Itoa(e.Line))
			if withDetail && e.Detail != "" {
				s = mdText(e.Detail) + " " + s
			}
			out = append(out, s)
		}
		return strings.Join(out, ", ")
	}
	scanned := 0
	var handshakes, signals, shutdown []audit.Evidence
	for _, s := range b.v.Sources {
		scanned += s.Scanned
		handshakes = append(handshakes, s.Handshake...)
		signals = append(signals, s.Signals...)
		shutdown = append(shutdown, s.ShutdownMs...)
	}
	phrase := func(k string, kv ...string) error {
		p, err := c.phrase(k, kv...)
		if err == nil {
			parts = append(parts, p)
		}
		return err
	}
	var err error
	switch key {
	case "wait_ready":
		var unreachable *audit.Finding
		for i, f := range b.doc.Findings {
			if f.Rule == "wait-ready-through-package-manager" && f.State != audit.Fixed {
				unreachable = &b.doc.Findings[i]
				break
			}
		}
		switch {
		case unreachable != nil && packageManagerOf(unreachable) != "" && len(handshakes) > 0:
			err = phrase("state_handshake_unreachable", "locs", locs(handshakes, false), "pm", mdCode(packageManagerOf(unreachable)))
		case len(handshakes) > 0:
			err = phrase("state_handshake_present", "locs", locs(handshakes, false))
		case scanned > 0:
			err = phrase("state_handshake_absent", "n", strconv.Itoa(scanned))
		default:
			err = phrase("state_not_scanned")
		}
	case "listen_timeout":
		withReady, cluster := false, false
		for i := range b.doc.Ecosystems {
			for _, a := range headApps(&b.doc.Ecosystems[i]) {
				if findOption(&a, "listen_timeout") == nil && findOption(findApp(b.baseAppsOf(b.doc.Ecosystems[i].Path), a.Name), "listen_timeout") == nil {
					continue
				}
				if o := findOption(&a, "wait_ready"); o != nil && (o.Dynamic || truthy(o.Value)) {
					withReady = true
				}
			}
		}
		for _, s := range b.doc.Services {
			if s.Mode == "cluster" || s.Mode == "cluster_mode" {
				cluster = true
			}
		}
		switch {
		case withReady:
			err = phrase("state_listen_with_ready")
		case cluster:
			err = phrase("state_listen_cluster")
		default:
			err = phrase("state_listen_fork")
		}
	case "kill_timeout", "shutdown_with_message":
		switch {
		case len(signals)+len(shutdown) > 0:
			err = phrase("state_shutdown_handled", "locs", locs(append(append([]audit.Evidence(nil), signals...), shutdown...), true))
		case scanned > 0:
			err = phrase("state_shutdown_none")
		default:
			err = phrase("state_not_scanned")
		}
	case "node_args", "interpreter_args":
		for _, iv := range b.v.Interp {
			if !iv.HasNodeArgs {
				continue
			}
			k := "state_node_ok"
			if !iv.IsNode {
				k = "state_node_bad"
			}
			if err = phrase(k, "interp", mdCode(iv.Interpreter), "file", mdCode(path.Base(iv.Eco))); err != nil {
				return "", err
			}
		}
	}
	if err != nil {
		return "", err
	}
	// Findings on the option: a short line per rule, the messages being in
	// the findings summary.
	var onKey []audit.Finding
	for _, f := range sortedFindings(b.doc.Findings) {
		if f.Option == key && f.State != audit.Fixed {
			onKey = append(onKey, f)
		}
	}
	byRule := map[string][]string{}
	var rows []findingRow
	for _, r := range groupFindings(onKey, b.opt.Lang) {
		if _, ok := byRule[r.Rule]; !ok {
			rows = append(rows, r)
		}
		for _, l := range r.Locs {
			byRule[r.Rule] = appendNew(byRule[r.Rule], path.Base(l))
		}
	}
	for _, r := range rows {
		sev, err := c.word("severity", r.Severity)
		if err != nil {
			return "", err
		}
		var locs []string
		for _, l := range capped(byRule[r.Rule], 5) {
			locs = append(locs, mdCode(l))
		}
		if err := phrase("state_finding", "severity", sev, "title", mdInline(r.Title), "locs", strings.Join(locs, ", ")); err != nil {
			return "", err
		}
	}
	if len(parts) == 0 {
		if err := phrase("state_none"); err != nil {
			return "", err
		}
	}
	return strings.Join(capped(parts, 4), "; "), nil
}

// canonical fills section 4.
func (b *builder) canonical() {
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
		if e.Head.Error != nil {
			cf.Broken = true
			b.v.Canon = append(b.v.Canon, cf)
			continue
		}
		var sb strings.Builder
		sb.WriteString("module.exports = {\n  apps: [\n")
		for ai, a := range e.Head.Apps {
			sb.WriteString("    {\n")
			opts := append([]audit.Option(nil), a.Options...)
			sort.SliceStable(opts, func(i, j int) bool { return opts[i].Line < opts[j].Line })
			for oi, o := range opts {
				val, dyn := optionValue(&o)
				if !dyn {
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
			sb.WriteString("    }")
			if ai < len(e.Head.Apps)-1 {
				sb.WriteByte(',')
			}
			sb.WriteByte('\n')
			cf.Apps = append(cf.Apps, canonApp{App: a.Name, Principles: b.principles(e, &a)})
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
			}
		}
		out = append(out, row)
	}
	mode, inst := "", 0
	if svc != nil {
		mode, inst = svc.Mode, svc.Instances
	}
	switch {
	case strings.HasPrefix(mode, "cluster"):
		add("cluster", "exec_mode", "instances")
	case inst == 1 || (mode != "" && inst <= 1):
		add("single_fork", "exec_mode", "instances")
	case inst > 1:
		add("fork_many", "exec_mode", "instances")
	}
	if o := findOption(a, "watch"); o == nil || (!o.Dynamic && !truthy(o.Value)) {
		add("no_watch", "watch")
	} else {
		add("watch", "watch", "ignore_watch")
	}
	if findOption(a, "kill_timeout") != nil || findOption(a, "shutdown_with_message") != nil {
		add("graceful", "kill_timeout", "shutdown_with_message")
	}
	// Through a package manager the code runs in a child of it: the
	// handshake, node_args and the memory limit never reach it, so no
	// principle is claimed for them (the rules say why).
	viaPM := false
	if o := findOption(a, "script"); o != nil && !o.Dynamic {
		if s, ok := o.Value.(string); ok {
			viaPM = pm2.PackageManager(s) != ""
		}
	}
	wr := findOption(a, "wait_ready")
	// The handshake: process.send('ready'), or cluster.worker.send('ready')
	// in cluster mode (FACTS §7). A message decided at run time is neither
	// a handshake nor its absence.
	hand := len(evidenceOf(svc, evHandshake, true)) > 0 ||
		(strings.HasPrefix(mode, "cluster") && len(evidenceOf(svc, evWorker, true)) > 0)
	maybe := len(evidenceOf(svc, evPossible, true)) > 0 || len(evidenceOf(svc, evWorker, true)) > 0
	switch {
	case (wr == nil || (!wr.Dynamic && !truthy(wr.Value))) && !hand && !maybe:
		add("no_ready")
	case wr != nil && truthy(wr.Value) && hand && !viaPM:
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

// risks fills section 6.
func (b *builder) risks() {
	seen := map[string]bool{}
	for _, f := range sortedFindings(b.doc.Findings) {
		if f.State == audit.Persisting || seen[f.Rule] {
			continue
		}
		seen[f.Rule] = true
		if f.State == audit.Introduced {
			// The risk of introducing a problem is the problem itself.
			fv := viewFinding(f, b.opt.Lang)
			b.v.Risks = append(b.v.Risks, riskRow{
				Risk: fv.Message, Probability: b.cat.Words["introduced_probability"][f.Severity],
				Impact: b.cat.Words["introduced_impact"][f.Severity], Mitigation: fv.Remediation,
			})
			continue
		}
		if r, ok := b.cat.risk(f); ok {
			b.v.Risks = append(b.v.Risks, riskRow(r))
		}
	}
	for _, d := range b.v.DeployWarn {
		// Risk texts are messages whose `code` spans the table cell
		// re-renders safely (cellinline).
		span := func(s string) string { return "`" + s + "`" }
		var keys []string
		for _, k := range d.Keys {
			keys = append(keys, span(k))
		}
		kv := []string{"hook", span("deploy." + d.Target + "['" + d.Hook + "']"), "cmd", span(d.Command),
			"keys", strings.Join(keys, ", "), "fix", span(d.Fix)}
		b.v.Risks = append(b.v.Risks, riskRow{
			Risk: fill(b.cat.Phrases["deploy_risk"], kv...), Probability: b.cat.Phrases["deploy_risk_probability"],
			Impact: b.cat.Phrases["deploy_risk_impact"], Mitigation: fill(b.cat.Phrases["deploy_risk_mitigation"], kv...),
		})
	}
	generic := b.cat.GenericRisks
	if b.v.Type == "source" {
		generic = b.cat.SourceRisks
	}
	for _, r := range generic {
		b.v.Risks = append(b.v.Risks, riskRow(r))
	}
	rb := rollbackView{BaseSHA: b.doc.Base.SHA, HeadSHA: b.doc.Head.SHA, EmptyBase: b.doc.Base.Empty, Apps: b.v.Proc}
	rb.SingleCommit = rb.EmptyBase || slices.Equal(b.doc.Head.Parents, []string{b.doc.Base.SHA})
	for _, c := range b.doc.Changed {
		switch c.Status {
		case "added":
			rb.Remove = append(rb.Remove, c.Path)
		case "renamed":
			rb.Remove = append(rb.Remove, c.Path)
			if c.OldPath != "" {
				rb.Checkout = append(rb.Checkout, c.OldPath)
			}
		default:
			rb.Checkout = append(rb.Checkout, c.Path)
		}
	}
	if b.lim.list >= 0 && len(rb.Checkout)+len(rb.Remove) > b.lim.list {
		// Too many files to list: the revert of the whole range is shown.
		rb.Checkout, rb.Remove = nil, nil
	}
	b.v.Rollback = rb
	var apps []string
	for _, a := range capped(b.v.Apps, 5) {
		apps = append(apps, mdCode(a))
	}
	for _, c := range b.cat.Rollback {
		b.v.RollbackConditions = append(b.v.RollbackConditions, fill(c, "app", strings.Join(apps, ", ")))
	}
}

// twins fills section 7.
func (b *builder) twins() {
	byPath := map[string]*audit.Ecosystem{}
	for i := range b.doc.Ecosystems {
		byPath[b.doc.Ecosystems[i].Path] = &b.doc.Ecosystems[i]
	}
	for _, p := range twinPairs(b.doc) {
		tv := twinView{A: p[0], B: p[1]}
		switch {
		case path.Base(p[0]) == defaultEcoFile:
			tv.Default = p[0]
		case path.Base(p[1]) == defaultEcoFile:
			tv.Default = p[1]
		}
		ea, eb := byPath[p[0]], byPath[p[1]]
		if ea == nil || eb == nil {
			if ea == nil {
				tv.Missing = p[0]
			} else {
				tv.Missing = p[1]
			}
			b.v.Twins = append(b.v.Twins, tv)
			continue
		}
		appsA, appsB := headApps(ea), headApps(eb)
		for _, a := range appsA {
			bApp := findApp(appsB, a.Name)
			if bApp == nil {
				continue
			}
			keys := map[string]bool{}
			for _, o := range a.Options {
				keys[o.Key] = true
			}
			for _, o := range bApp.Options {
				keys[o.Key] = true
			}
			var sorted []string
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				va, _ := optionValue(findOption(&a, k))
				vb, _ := optionValue(findOption(bApp, k))
				if va != vb {
					tv.Rows = append(tv.Rows, twinRow{Key: k, A: va, B: vb})
				}
			}
			// Options this change removed, with the values they had.
			for _, k := range b.removedKeys(ea, a.Name, eb) {
				va, _ := optionValue(findOption(findApp(b.baseAppsOf(ea.Path), a.Name), k))
				vb, _ := optionValue(findOption(findApp(b.baseAppsOf(eb.Path), a.Name), k))
				tv.Rows = append(tv.Rows, twinRow{Key: k, A: va, B: vb, Removed: true})
			}
		}
		tv.SameOptions = len(tv.Rows) == 0
		b.v.Twins = append(b.v.Twins, tv)
	}
	b.v.Twins = capped(b.v.Twins, b.lim.list)
}

// removedKeys lists the options of an app the change removed from either
// of two files, sorted.
func (b *builder) removedKeys(ea *audit.Ecosystem, app string, eb *audit.Ecosystem) []string {
	var out []string
	for _, e := range []*audit.Ecosystem{ea, eb} {
		for _, c := range e.Changes {
			if c.App == app && c.Change == audit.Removed {
				out = appendNew(out, c.Key)
			}
		}
	}
	sort.Strings(out)
	return out
}

// conclusions fills section 10's next steps.
func (b *builder) conclusions() {
	for _, f := range sortedFindings(b.doc.Findings) {
		if f.State == audit.Fixed {
			continue
		}
		r := viewFinding(f, b.opt.Lang).Remediation
		if r != "" && !contains(b.v.NextSteps, r) {
			b.v.NextSteps = append(b.v.NextSteps, r)
		}
	}
	b.v.NextSteps = capped(b.v.NextSteps, b.lim.list)
}

// references fills section 11.
func (b *builder) references() {
	base := strings.TrimRight(b.opt.RepoURL, "/")
	for _, c := range capped(b.doc.Changed, b.lim.list) {
		dest := linkPath(c.Path)
		if base != "" {
			sha := b.doc.Head.SHA
			if c.Status == "deleted" {
				sha = b.doc.Base.SHA
			}
			dest = base + "/blob/" + linkPath(sha) + "/" + linkPath(c.Path)
		}
		b.v.RefFiles = append(b.v.RefFiles, refFile{Path: c.Path, Dest: dest})
	}
	for _, d := range b.v.DocHits {
		b.v.Related = appendNew(b.v.Related, d.Path)
	}
}

// optionRemoved reports whether the change removed the option a finding
// is about, from the finding's file and app.
func (b *builder) optionRemoved(f audit.Finding) bool {
	for _, e := range b.doc.Ecosystems {
		if e.Path != f.Path {
			continue
		}
		for _, c := range e.Changes {
			if c.App == f.App && c.Key == f.Option && c.Change == audit.Removed {
				return true
			}
		}
	}
	return false
}

// packageManagerOf is the package manager a finding's app starts
// through, from the rule's own values.
func packageManagerOf(f *audit.Finding) string {
	pm, _ := f.Args["pm"].(string)
	return pm
}
