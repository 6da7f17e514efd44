package report

import (
	"path"
	"sort"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/rule"
)

// twins fills section 7.
func (b *builder) twins() {
	byPath := map[string]*audit.Ecosystem{}
	for i := range b.doc.Ecosystems {
		byPath[b.doc.Ecosystems[i].Path] = &b.doc.Ecosystems[i]
	}
	for _, p := range twinPairs(b.doc) {
		tv := twinView{A: p[0], B: p[1]}
		for _, f := range sortedFindings(b.doc.Findings) {
			if f.About.Subject == rule.TwinDrift && (f.Path == p[0] || f.Path == p[1]) {
				tv.IDs = appendNew(tv.IDs, b.idOf(f))
			}
		}
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
				oa, ob := findOption(&a, k), findOption(bApp, k)
				va, _ := optionValue(oa)
				vb, _ := optionValue(ob)
				if va == vb {
					continue
				}
				// Two objects (env blocks): the keys that differ, not
				// both objects whole.
				if ma, mb, ok := objects(oa, ob); ok {
					tv.Rows = append(tv.Rows, subkeyRows(k, ma, mb)...)
					continue
				}
				tv.Rows = append(tv.Rows, twinRow{Key: k, A: va, B: vb})
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

// objects returns the values of two options when both are objects
// written as literals (not computed, not shown as written).
func objects(a, b *audit.Option) (map[string]any, map[string]any, bool) {
	if a == nil || b == nil || a.Dynamic || b.Dynamic {
		return nil, nil, false
	}
	if _, w := asWritten(a); w {
		return nil, nil, false
	}
	if _, w := asWritten(b); w {
		return nil, nil, false
	}
	ma, okA := a.Value.(map[string]any)
	mb, okB := b.Value.(map[string]any)
	return ma, mb, okA && okB
}

// subkeyRows are the rows of the keys of two objects whose values
// differ, as key.subkey, sorted; a missing key is empty.
func subkeyRows(key string, a, b map[string]any) []twinRow {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []twinRow
	for _, k := range sorted {
		var va, vb string
		if v, ok := a[k]; ok {
			va = jsValue(v)
		}
		if v, ok := b[k]; ok {
			vb = jsValue(v)
		}
		if va != vb {
			out = append(out, twinRow{Key: key + "." + k, A: va, B: vb})
		}
	}
	return out
}
