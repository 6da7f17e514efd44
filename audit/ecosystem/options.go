package ecosystem

import "github.com/auditbot/auditbot/audit/pm2"

// Options indexes the app's options by canonical PM2 key: for each
// option, the field PM2 reads among the spellings the app writes
// (pm2.Schema.Pick: aliases and camelCase folded, the first truthy one
// in PM2's order). Keys PM2 does not know are left out.
func (a *App) Options() map[string]Field {
	keys := make([]string, len(a.Fields))
	for i, f := range a.Fields {
		keys[i] = f.Key
	}
	picked := pm2.Default().Pick(keys, func(i int) (bool, bool) { return a.Fields[i].Value.PM2().Truthy() })
	out := make(map[string]Field, len(picked))
	for k, i := range picked {
		out[k] = a.Fields[i]
	}
	return out
}

// Option returns the field PM2 reads for a canonical option, whatever
// spelling the app writes it with (Options).
func (a *App) Option(canonical string) (Field, bool) {
	f, ok := a.Options()[canonical]
	return f, ok
}

// PM2 resolves the app the way PM2 does (pm2.Resolve): script,
// interpreter, exec mode, instances, cwd and node_args, each known or
// not. host gives what the options do not say (whether the script is
// a binary file).
func (a *App) PM2(host pm2.Host) pm2.App {
	opts := pm2.Options{}
	for k, f := range a.Options() {
		opts[k] = f.Value.PM2()
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
