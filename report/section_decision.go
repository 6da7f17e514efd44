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
	"github.com/auditbot/auditbot/audit/rule"
)

// decision fills section 3: hunks, justification, impact, risk.
func (b *builder) decision() error {
	b.hunks()
	c := b.cat
	for _, key := range b.involvedKeys(false) {
		row := justRow{Purpose: c.Purpose[key]}
		var vals []string
		change := ""
		changedApps, keyApps := map[string]bool{}, map[string]bool{}
		for _, e := range b.doc.Ecosystems {
			for _, ch := range e.Changes {
				if ch.Key != key {
					continue
				}
				keyApps[ch.App] = true
				if ch.Change != audit.Unchanged {
					changedApps[ch.App] = true
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
		row.Action = md(action)
		// The state is that of the apps the change touches the option
		// of (else of every app that writes it): another app's code
		// says nothing about them.
		apps := changedApps
		if len(apps) == 0 {
			apps = keyApps
		}
		state, err := b.optionState(key, apps)
		if err != nil {
			return err
		}
		row.StateMD = md(state)
		row.change = change
		b.v.Justif = append(b.v.Justif, row)
	}
	rank := map[string]int{audit.Removed: 0, audit.Added: 1, audit.Modified: 2, audit.Unchanged: 3}
	sort.SliceStable(b.v.Justif, func(i, j int) bool { return rank[b.v.Justif[i].change] < rank[b.v.Justif[j].change] })
	b.v.Justif = capped(b.v.Justif, b.lim.list)

	seenDocs := map[string]bool{}
	seenRule := map[string]bool{}
	for _, f := range sortedFindings(b.doc.Findings) {
		fv := b.view(f)
		if u := docsURL(f); u != "" && !seenDocs[u] {
			seenDocs[u] = true
			b.v.Refs = append(b.v.Refs, docRef{Title: fv.Title, URL: u})
		}
		if f.State == audit.Introduced && (f.Severity == "error" || f.Severity == "warning") {
			b.v.Risky = append(b.v.Risky, fv)
			b.v.RiskyIDs = appendNew(b.v.RiskyIDs, b.idOf(f))
		}
		if f.State == audit.Persisting || seenRule[f.Rule+f.State] {
			continue
		}
		seenRule[f.Rule+f.State] = true
		row := impactRow{ID: md(b.idOf(f)), Title: fv.Title}
		problem, resolved := mdInline(fv.Message), c.Phrases["impact_generic_resolved"]
		if it, ok := c.impact(f); ok {
			vals := b.ruleValues(f.Rule, f.State)
			problem, resolved = b.fill(it.Problem, vals...), b.fill(it.Resolved, vals...)
			if it.Removed != "" && f.State == audit.Fixed && b.optionRemoved(f) {
				resolved = b.fill(it.Removed, vals...)
			}
		}
		if f.State == audit.Fixed {
			row.BeforeMD, row.AfterMD = md(problem), md(resolved)
		} else {
			row.BeforeMD, row.AfterMD = md(resolved), md(problem)
		}
		b.v.Impacts = append(b.v.Impacts, row)
	}
	b.v.Refs = capped(b.v.Refs, b.lim.list)
	b.v.Risky = capped(b.v.Risky, b.lim.list)
	b.v.Impacts = capped(b.v.Impacts, b.lim.list)
	return nil
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
		if n := f.About.ListenTimeoutMS; n > 0 {
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

// optionState says what the service's code shows about an option.
func (b *builder) optionState(key string, apps map[string]bool) (string, error) {
	c := b.cat
	var parts []string
	locs := func(evs []audit.Evidence, withDetail bool) string {
		var out []string
		for _, e := range capped(evs, 5) {
			s := mdCode(b.rel(e.Path) + ":" + strconv.Itoa(e.Line))
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
		if len(apps) > 0 && !anyApp(s.Apps, apps) {
			continue
		}
		scanned += s.Scanned
		handshakes = append(handshakes, s.Handshake...)
		shutdown = append(shutdown, s.ShutdownMs...)
		for _, e := range s.Signals {
			// A handler for a signal PM2 does not send is not a
			// shutdown under PM2 (docs/pm2-behaviour.md#kill-signal).
			if e.Detail == pm2.KillSignal {
				signals = append(signals, e)
			}
		}
	}
	// The engine's findings on these apps overrule what the evidence
	// would claim.
	refuted := func(subjects ...rule.Subject) bool {
		for _, f := range b.doc.Findings {
			if f.State != audit.Fixed && slices.Contains(subjects, f.About.Subject) && (len(apps) == 0 || apps[f.App]) {
				return true
			}
		}
		return false
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
			if f.About.Subject == rule.HandshakeUnreachable && f.State != audit.Fixed {
				unreachable = &b.doc.Findings[i]
				break
			}
		}
		switch {
		case unreachable != nil && unreachable.About.PackageManager != "" && len(handshakes) > 0:
			err = phrase("state_handshake_unreachable", "locs", locs(handshakes, false), "pm", mdCode(unreachable.About.PackageManager))
		case len(handshakes) > 0 && refuted(rule.HandshakeAbsent, rule.HandshakeUndecided):
			// The findings say it (state_finding below).
		case len(handshakes) > 0:
			err = phrase("state_handshake_present", "locs", locs(handshakes, false))
		case scanned > 0:
			err = phrase("state_handshake_absent", "files", b.countPhrase("files", scanned))
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
			if s.Mode == string(pm2.Cluster) {
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
		case refuted(rule.KillSignalNotHandled):
			// The finding says it (state_finding below).
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
		if f.Option == key && f.State != audit.Fixed && (len(apps) == 0 || apps[f.App]) {
			onKey = append(onKey, f)
		}
	}
	byRule := map[string][]string{}
	var rows []findingRow
	for _, r := range groupFindings(onKey, b.view) {
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
		if err := phrase("state_finding", "severity", sev, "id", b.ids[rowKey(r.Rule, r.State, r.Severity, r.App)], "title", mdInline(r.Title), "locs", strings.Join(locs, ", ")); err != nil {
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

// countPhrase is the catalog's count of n things of a kind.
func (b *builder) countPhrase(key string, n int) string {
	s, err := b.cat.count(key, n)
	if err != nil && b.err == nil {
		b.err = err
	}
	return s
}

// anyApp reports whether one of names is in set.
func anyApp(names []string, set map[string]bool) bool {
	for _, n := range names {
		if set[n] {
			return true
		}
	}
	return false
}
