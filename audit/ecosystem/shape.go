package ecosystem

import (
	"sort"
)

// shapeApps fills f.Apps from the exported configuration the way PM2
// does (docs/pm2-behaviour.md#config-file-names, lib/API.js:943-954): config.apps, else config.pm2, else
// the object itself; a non-array is wrapped in an array.
func shapeApps(f *File, cfg Value) {
	shapeDeploy(f, cfg)
	apps := cfg
	if cfg.Kind == KindObject {
		for _, key := range []string{"apps", "pm2"} {
			if fl, ok := lastField(cfg.Fields, key); ok && truthy(fl.Value) {
				apps = fl.Value
				f.AppsKey = key
				break
			}
		}
		// A spread that could not be resolved may hold apps.
		if f.AppsKey == "" {
			if fl, ok := lastField(cfg.Fields, "..."); ok {
				f.AppsDynamic = true
				f.AppsLine = fl.Line
				return
			}
		}
	}
	f.AppsLine = apps.Line
	switch apps.Kind {
	case KindDynamic:
		f.AppsDynamic = true
	case KindArray:
		for i, it := range apps.Items {
			f.Apps = append(f.Apps, makeApp(i, it))
		}
	default:
		f.Apps = append(f.Apps, makeApp(0, apps))
	}
}

func lastField(fields []Field, key string) (Field, bool) {
	for i := len(fields) - 1; i >= 0; i-- {
		if fields[i].Key == key {
			return fields[i], true
		}
	}
	return Field{}, false
}

func makeApp(i int, v Value) App {
	a := App{Index: i, Line: v.Line, EndLine: v.EndLine}
	if v.Kind != KindObject {
		a.Dynamic = true
		a.Source = v.Source
		if a.EndLine == 0 {
			a.EndLine = a.Line
		}
		return a
	}
	a.Fields = v.Fields
	if n, ok := a.Get("name"); ok && n.Value.Kind == KindString && !n.Value.Secret {
		a.Name = n.Value.Str
	}
	return a
}

func sortUnresolved(u []Unresolved) {
	sort.SliceStable(u, func(i, j int) bool { return u[i].Line < u[j].Line })
}

// deployHooks are the commands a deploy target may run, in the order pm2
// deploy runs them.
var deployHooks = []string{"pre-setup", "post-setup", "pre-deploy-local", "pre-deploy", "post-deploy"}

// shapeDeploy reads the commands of the config's deploy section.
func shapeDeploy(f *File, cfg Value) {
	if cfg.Kind != KindObject {
		return
	}
	d, ok := lastField(cfg.Fields, "deploy")
	if !ok || d.Value.Kind != KindObject {
		return
	}
	for _, t := range d.Value.Fields {
		if t.Value.Kind != KindObject {
			continue
		}
		for _, h := range deployHooks {
			fl, ok := lastField(t.Value.Fields, h)
			if !ok {
				continue
			}
			hk := DeployHook{Target: t.Key, Hook: h, Line: fl.Line}
			if fl.Value.Kind == KindString {
				hk.Command = fl.Value.Str
			} else {
				hk.Dynamic, hk.Command = true, fl.Value.Source
			}
			f.Deploy = append(f.Deploy, hk)
		}
	}
}
