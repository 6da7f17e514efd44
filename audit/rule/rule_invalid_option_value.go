package rule

import (
	"fmt"
	"github.com/auditbot/auditbot/audit/message"
	"path"
	"slices"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
)

// invalidOptionValue: a value PM2's validator rejects (docs/pm2-behaviour.md#invalid-values-abort):
// wrong type, a failed format check (max_memory_restart '1.5G'/'512MB',
// min_uptime '10 s', exec_mode 'Cluster') or a value under the schema
// minimum (min_uptime < 100). PM2 prints the error with a WARN prefix, but
// it is fatal: nothing in the file starts, every app of it is aborted.
// The check follows lib/tools/Config.js: numeric strings pass for number
// options, strings pass for array options, falsy values of underscore keys
// never reach validation (falsy-option-ignored) and `instances` strings are
// parsed before it.
type invalidOptionValue struct{}

func (invalidOptionValue) Meta() Meta {
	return Meta{ID: "invalid-option-value", Severity: Error, Behaviours: []string{"invalid-values-abort", "max-memory-restart"},
		Docs: docsDeclaration, Proof: proofDir("invalid-option-value")}
}

func (r invalidOptionValue) Check(in *Input) []Finding {
	s := pm2.Default()
	var out []Finding
	for _, a := range in.Apps {
		for _, f := range a.App.Fields {
			canon, ok := s.Canonical(f.Key)
			if !ok {
				continue
			}
			o, ok := s.Lookup(f.Key)
			if !ok {
				continue
			}
			name := canon
			if strings.HasPrefix(canon, "env_") {
				name = f.Key
			}
			reason, msg := validate(s, name, canon, o, f.Value)
			if reason == "" {
				continue
			}
			out = append(out, newFinding(r.Meta(), a, f.Line, canon, f.Key, message.Args{
				"key":         message.OptionOf(f.Key),
				"option":      message.OptionOf(name),
				"value":       message.CodeOf(display(f.Value)),
				"reason":      message.CodeOf(reason),
				"pm2_message": message.CodeOf("[PM2][WARN] " + msg),
				"apps":        message.CountOf(len(a.File.Apps)),
				"file":        message.CodeOf(path.Base(a.File.Path)),
			}, f))
		}
	}
	return out
}

// validate mirrors PM2's Config._valid for one value and returns the
// failed check ("type", "regex", "min") and PM2's message, or "", "".
func validate(s *pm2.Schema, name, canon string, o *pm2.Option, v ecosystem.Value) (reason, msg string) {
	if v.Kind == ecosystem.KindDynamic || v.Kind == ecosystem.KindUndefined {
		return "", ""
	}
	if strings.Contains(canon, "_") && isFalsy(v) {
		return "", "" // dropped before validation (docs/pm2-behaviour.md#invalid-values-abort falsy-value bug)
	}
	if canon == "instances" && v.Kind == ecosystem.KindString {
		return "", "" // 'max' -> 0, other strings parseInt'd before validation
	}
	want := make([]string, len(o.Types))
	for i, t := range o.Types {
		want[i] = "[object " + strings.ToUpper(t[:1]) + t[1:] + "]"
	}
	const numType = "[object Number]"
	actual := jsType(v)
	num, isNum := 0.0, false
	if v.Kind == ecosystem.KindNumber {
		num, isNum = v.Num, true
	} else if actual != "[object Boolean]" && slices.Contains(want, numType) {
		if n, ok := coerceNumber(v); ok {
			num, isNum, actual = n, true, numType
		}
	}
	if !slices.Contains(want, actual) {
		return "type", fmt.Sprintf("Expect %q to be a typeof %s, but now is %s", name, strings.Join(want, " / "), actual)
	}
	if actual == "[object String]" {
		if re := s.Regexp(canon); re != nil && !re.MatchString(v.Str) {
			desc := o.Desc
			if desc == "" {
				desc = "should match " + o.Regex
			}
			return "regex", fmt.Sprintf("Verify %q with regex failed, %s", name, desc)
		}
	}
	if isNum && o.Min != nil && num < *o.Min {
		return "min", fmt.Sprintf("The minimum of %q is %s, but now is %s", name, formatNumber(*o.Min), formatNumber(num))
	}
	return "", ""
}

// jsType is Object.prototype.toString of a static value.
func jsType(v ecosystem.Value) string {
	switch v.Kind {
	case ecosystem.KindString:
		return "[object String]"
	case ecosystem.KindNumber:
		return "[object Number]"
	case ecosystem.KindBool:
		return "[object Boolean]"
	case ecosystem.KindArray:
		return "[object Array]"
	case ecosystem.KindObject:
		return "[object Object]"
	case ecosystem.KindNull:
		return "[object Null]"
	}
	return "[object Undefined]"
}

// coerceNumber is `!isNaN(value)` then parseFloat for the kinds PM2 meets.
func coerceNumber(v ecosystem.Value) (float64, bool) {
	switch v.Kind {
	case ecosystem.KindString:
		return jsNumber(v.Str)
	case ecosystem.KindNull:
		return 0, true
	case ecosystem.KindArray:
		if len(v.Items) == 0 {
			return 0, true
		}
		if len(v.Items) == 1 {
			return coerceNumber(v.Items[0])
		}
	case ecosystem.KindNumber:
		return v.Num, true
	}
	return 0, false
}
