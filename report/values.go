package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"

	"github.com/auditbot/auditbot/audit"
)

// jsIdent matches object keys that need no quotes in JavaScript.
var jsIdent = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// jsValue renders a resolved option value (decoded JSON, or Go values
// built by the engine) as a compact JavaScript literal. Object keys are
// sorted so the output is deterministic.
func jsValue(v any) string {
	var b strings.Builder
	writeJS(&b, v, -1, 0)
	return b.String()
}

// jsValueIndent renders v over several lines for objects and arrays,
// indented by depth levels of two spaces.
func jsValueIndent(v any, depth int) string {
	var b strings.Builder
	writeJS(&b, v, depth, 0)
	return b.String()
}

func writeJS(b *strings.Builder, v any, depth, nest int) {
	if nest > 32 {
		b.WriteString("/* … */")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		b.WriteString(jsString(x))
	case float64:
		b.WriteString(jsNumber(x))
	case float32:
		b.WriteString(jsNumber(float64(x)))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case json.Number:
		b.WriteString(x.String())
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJS(b, e, -1, nest+1)
		}
		b.WriteByte(']')
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		writeJS(b, items, depth, nest)
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if depth < 0 {
			b.WriteString("{ ")
			for i, k := range keys {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(jsKey(k) + ": ")
				writeJS(b, x[k], -1, nest+1)
			}
			b.WriteString(" }")
			return
		}
		pad := strings.Repeat("  ", depth+1)
		b.WriteString("{\n")
		for i, k := range keys {
			b.WriteString(pad + jsKey(k) + ": ")
			writeJS(b, x[k], depth+1, nest+1)
			if i < len(keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", depth) + "}")
	default:
		// Any other type: through JSON, so nothing is lost silently.
		data, err := json.Marshal(x)
		if err != nil {
			fmt.Fprintf(b, "/* %T */", x)
			return
		}
		var back any
		if json.Unmarshal(data, &back) != nil {
			b.WriteString(oneLine(string(data)))
			return
		}
		writeJS(b, back, depth, nest+1)
	}
}

func jsKey(k string) string {
	if jsIdent.MatchString(k) {
		return k
	}
	return jsString(k)
}

// jsNumber writes a number as JavaScript source.
func jsNumber(f float64) string { return ecosystem.FormatNumber(f) }

// jsString quotes s as a single-quoted JavaScript string on one line.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x2028 || r == 0x2029 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// optionValue is how an option's value is shown: its literal, or for a
// dynamic value its source text (never for a secret).
func optionValue(o *audit.Option) (text string, dynamic bool) {
	if o == nil {
		return "", false
	}
	if o.Dynamic {
		if o.Secret || o.Source == "" {
			return "'***'", true
		}
		return oneLine(o.Source), true
	}
	if src, ok := asWritten(o); ok {
		return src, false
	}
	return jsValue(o.Value), false
}

// asWritten is the source text of a value computed from the file's own
// directory (`cwd: __dirname`, `path.join(__dirname, 'logs')`): the
// report shows it as written, since the resolved path ('.') would say
// something else once copied into a configuration.
func asWritten(o *audit.Option) (string, bool) {
	if o == nil || o.Dynamic || o.Secret || o.Source == "" {
		return "", false
	}
	if strings.Contains(o.Source, "__dirname") || strings.Contains(o.Source, "import.meta") {
		return oneLine(o.Source), true
	}
	return "", false
}

// numeric returns the option value as a number when it is one (or a
// numeric string).
func numeric(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// truthy reports whether a resolved value is true for PM2.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x != "" && x != "false"
	case nil:
		return false
	}
	if f, ok := numeric(v); ok {
		return f != 0
	}
	return true
}

// lineRanges formats sorted line numbers as "61-62, 70".
func lineRanges(lines []int) string {
	if len(lines) == 0 {
		return ""
	}
	ls := append([]int(nil), lines...)
	sort.Ints(ls)
	var parts []string
	start, prev := ls[0], ls[0]
	flush := func() {
		if start == prev {
			parts = append(parts, strconv.Itoa(start))
		} else {
			parts = append(parts, strconv.Itoa(start)+"-"+strconv.Itoa(prev))
		}
	}
	for _, l := range ls[1:] {
		if l == prev {
			continue
		}
		if l == prev+1 {
			prev = l
			continue
		}
		flush()
		start, prev = l, l
	}
	flush()
	return strings.Join(parts, ", ")
}
