package ecosystem

import "github.com/auditbot/auditbot/audit/pm2"

// Options indexes the app's options by canonical PM2 key: for each
// option, the field PM2 reads among the spellings the app writes
// (pm2.Schema.Pick: aliases and camelCase folded, the first truthy one
// in PM2's order). Keys PM2 does not know are left out.
func (a *App) Options() map[string]Field {
	picked := a.pick()
	out := make(map[string]Field, len(picked))
	for k, i := range picked {
		out[k] = a.Fields[i]
	}
	return out
}

// pick is Options as indexes into Fields.
func (a *App) pick() map[string]int {
	keys := make([]string, len(a.Fields))
	for i, f := range a.Fields {
		keys[i] = f.Key
	}
	return pm2.Default().Pick(keys, func(i int) (bool, bool) { return a.Fields[i].Value.PM2().Truthy() })
}

// Option returns the field PM2 reads for a canonical option, whatever
// spelling the app writes it with (Options).
func (a *App) Option(canonical string) (Field, bool) {
	f, ok := a.Options()[canonical]
	return f, ok
}

// PM2 resolves the app the way PM2 does (pm2.Resolve): script,
// interpreter, exec mode, instances, cwd and node_args, each known or
// not. An object spread known only at run time (`...defaults()`) may
// hold any option: those it may set (not written after it) are unknown
// (pm2.Spread). host gives what the options do not say (whether the
// script is a binary file).
func (a *App) PM2(host pm2.Host) pm2.App {
	spread := -1 // the last spread of an object known only at run time
	for i, f := range a.Fields {
		if f.Key == "..." && f.Value.Kind == KindDynamic {
			spread = i
		}
	}
	opts := pm2.Options{}
	if spread >= 0 {
		opts[pm2.Spread] = a.Fields[spread].Value.PM2()
	}
	for k, i := range a.pick() {
		v := a.Fields[i].Value.PM2()
		v.Key = a.Fields[i].Key
		opts[k] = v
		if i < spread {
			opts[k] = a.Fields[spread].Value.PM2() // the spread may override it
		}
	}
	return pm2.Resolve(opts, host)
}

// PM2 is the value as pm2.Resolve reads it.
func (v Value) PM2() pm2.Value {
	out := pm2.Value{Str: v.Str, Num: v.Num, Bool: v.Bool, Source: v.Source}
	switch v.Kind {
	case KindString:
		out.Kind = pm2.String
	case KindNumber:
		out.Kind = pm2.Number
	case KindBool:
		out.Kind = pm2.Boolean
	case KindNull:
		out.Kind = pm2.Null
	case KindUndefined:
		out.Kind = pm2.Undefined
	case KindArray:
		out.Kind = pm2.Array
		out.Items = make([]pm2.Value, len(v.Items))
		for i, it := range v.Items {
			out.Items[i] = it.PM2()
		}
	case KindObject:
		out.Kind = pm2.Object
	default:
		out.Kind = pm2.Dynamic
	}
	return out
}
