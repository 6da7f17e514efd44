package report

import (
	"slices"
	"sort"

	"github.com/auditbot/auditbot/audit"
)

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
	apps := map[string]bool{}
	for _, c := range b.v.OptionChanges {
		apps[c.App] = true
	}
	b.v.OptionTable = b.v.Large || len(apps) > 1
	for _, o := range b.v.Objectives {
		b.v.OptionTable = b.v.OptionTable || o.More > 0
	}
	b.v.OptionChanges = capped(b.v.OptionChanges, b.lim.list)
	for _, r := range groupFindings(sortedFindings(b.doc.Findings), b.view) {
		r.ID = md(b.ids[rowKey(r.Rule, r.State, r.Severity, r.App)])
		if it, ok := b.cat.impact(r.Items[0].Finding); ok && it.Justify != "" && r.State != audit.Persisting {
			// The row's own app, not every app of the rule.
			kv := append(b.ruleValues(r.Rule, r.State), "app", mdCode(r.App))
			r.JustifyMD = md(b.fill(it.Justify, kv...))
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
