// Package message is what a finding says, without its words: the id of
// its texts in the report catalogs and the typed values they are filled
// with. The report phrases it in the reader's language
// (report/templates/<lang>/rules.yaml); the engine never renders text.
package message

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Kind says what a value is, and so how a report prints and escapes it.
type Kind string

// Kinds of values.
const (
	// Text is prose from the repository or a tool (a parse error, a
	// guard condition): printed as it is, never as code or Markdown.
	Text Kind = "text"
	// Code is a literal written in the repository or by PM2 (an option's
	// value, a command, a script, a file name, a PM2 log line): the
	// catalogs put it in a code span.
	Code Kind = "code"
	// Option is the name of a PM2 option, as written or canonical.
	Option Kind = "option"
	// Count is a whole number of things; a catalog's plurals follow it.
	Count Kind = "count"
	// Millis is a duration in milliseconds.
	Millis Kind = "ms"
	// Number is another quantity (MiB, seconds, a CPU offset).
	Number Kind = "number"
	// Location is a place in the repository: a path and a line.
	Location Kind = "location"
	// Bool is a condition the catalogs phrase a text by.
	Bool Kind = "bool"
	// List is an ordered list of values.
	List Kind = "list"
	// Record is named values: one row of a table.
	Record Kind = "record"
)

// Value is one typed argument. Which fields are set depends on Kind:
// Str for Text, Code and Option (and a Location's path), Num for Count,
// Millis and Number (and a Location's line), Bool, Items for List,
// Fields for Record.
type Value struct {
	Kind   Kind
	Str    string
	Num    float64
	Bool   bool
	Items  []Value
	Fields Args
}

// Args are a message's values by name.
type Args map[string]Value

// Message is what a finding says: ID names its texts in the report
// catalogs (a rule's id), Args fill them.
type Message struct {
	ID   string `json:"id"`
	Args Args   `json:"args,omitempty"`
}

// TextOf is prose from the repository or a tool.
func TextOf(s string) Value { return Value{Kind: Text, Str: s} }

// CodeOf is a literal.
func CodeOf(s string) Value { return Value{Kind: Code, Str: s} }

// OptionOf is a PM2 option's name.
func OptionOf(s string) Value { return Value{Kind: Option, Str: s} }

// CountOf is a count.
func CountOf(n int) Value { return Value{Kind: Count, Num: float64(n)} }

// MillisOf is a duration in milliseconds (Infinity included: PM2 reads
// listen_timeout: Infinity).
func MillisOf(ms float64) Value { return Value{Kind: Millis, Num: ms} }

// NumberOf is a quantity.
func NumberOf(n float64) Value { return Value{Kind: Number, Num: n} }

// At is a place in the repository.
func At(path string, line int) Value { return Value{Kind: Location, Str: path, Num: float64(line)} }

// BoolOf is a condition.
func BoolOf(b bool) Value { return Value{Kind: Bool, Bool: b} }

// ListOf is a list of values.
func ListOf(items ...Value) Value { return Value{Kind: List, Items: items} }

// CodesOf is a list of literals.
func CodesOf(items []string) Value {
	v := Value{Kind: List, Items: []Value{}}
	for _, s := range items {
		v.Items = append(v.Items, CodeOf(s))
	}
	return v
}

// RecordOf is named values.
func RecordOf(fields Args) Value { return Value{Kind: Record, Fields: fields} }

// Int is a Count's (or a Location's line's) whole number.
func (v Value) Int() int { return int(v.Num) }

// String prints the value plainly (no Markdown): text, code and option
// names as they are, numbers in decimal (Infinity for a non-finite
// duration), a location as path:line, a list joined by ", ".
func (v Value) String() string {
	switch v.Kind {
	case Count:
		return strconv.Itoa(v.Int())
	case Millis, Number:
		return FormatNumber(v.Num)
	case Location:
		if v.Num > 0 {
			return v.Str + ":" + strconv.Itoa(v.Int())
		}
		return v.Str
	case Bool:
		return strconv.FormatBool(v.Bool)
	case List:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = it.String()
		}
		return strings.Join(parts, ", ")
	case Record:
		return fmt.Sprint(map[string]Value(v.Fields))
	}
	return v.Str
}

// FormatNumber prints a number as JavaScript does: no exponent for
// whole numbers, "Infinity", "-Infinity" and "NaN".
func FormatNumber(n float64) string {
	switch {
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case math.IsNaN(n):
		return "NaN"
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// jsonValue is a Value in JSON: {"kind": ..., "value": ...}, the value a
// string (text, code, option), a number (count, ms, number; "Infinity",
// "-Infinity" or "NaN" when not finite), a boolean, {"path", "line"} (a
// location), an array of values (list) or an object of values (record).
type jsonValue struct {
	Kind  Kind            `json:"kind"`
	Value json.RawMessage `json:"value"`
}

type jsonLocation struct {
	Path string `json:"path"`
	Line int    `json:"line,omitempty"`
}

// MarshalJSON writes the value as {"kind": ..., "value": ...}.
func (v Value) MarshalJSON() ([]byte, error) {
	var inner any
	switch v.Kind {
	case Count:
		inner = v.Int()
	case Millis, Number:
		if math.IsInf(v.Num, 0) || math.IsNaN(v.Num) {
			inner = FormatNumber(v.Num)
		} else {
			inner = v.Num
		}
	case Location:
		inner = jsonLocation{Path: v.Str, Line: v.Int()}
	case Bool:
		inner = v.Bool
	case List:
		items := v.Items
		if items == nil {
			items = []Value{}
		}
		inner = items
	case Record:
		fields := v.Fields
		if fields == nil {
			fields = Args{}
		}
		inner = map[string]Value(fields)
	case Text, Code, Option:
		inner = v.Str
	default:
		return nil, fmt.Errorf("message: value of unknown kind %q", v.Kind)
	}
	raw, err := json.Marshal(inner)
	if err != nil {
		return nil, fmt.Errorf("message: %s value: %w", v.Kind, err)
	}
	return json.Marshal(jsonValue{Kind: v.Kind, Value: raw})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *Value) UnmarshalJSON(b []byte) error {
	var j jsonValue
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("message: value: %w", err)
	}
	out := Value{Kind: j.Kind}
	var err error
	switch j.Kind {
	case Text, Code, Option:
		err = json.Unmarshal(j.Value, &out.Str)
	case Count, Millis, Number:
		var s string
		if json.Unmarshal(j.Value, &s) == nil {
			out.Num, err = strconv.ParseFloat(s, 64) // Infinity, NaN
			break
		}
		err = json.Unmarshal(j.Value, &out.Num)
	case Location:
		var l jsonLocation
		err = json.Unmarshal(j.Value, &l)
		out.Str, out.Num = l.Path, float64(l.Line)
	case Bool:
		err = json.Unmarshal(j.Value, &out.Bool)
	case List:
		err = json.Unmarshal(j.Value, &out.Items)
	case Record:
		err = json.Unmarshal(j.Value, &out.Fields)
	default:
		return fmt.Errorf("message: value of unknown kind %q", j.Kind)
	}
	if err != nil {
		return fmt.Errorf("message: %s value: %w", j.Kind, err)
	}
	*v = out
	return nil
}

// Map returns a copy of the values with f applied to each, depth first:
// to a list's items and a record's fields before the list or record.
// name is the argument's (or field's) name, "" for a list item.
func (a Args) Map(f func(name string, v Value) Value) Args {
	if a == nil {
		return nil
	}
	out := make(Args, len(a))
	for k, v := range a {
		out[k] = v.mapped(k, f)
	}
	return out
}

func (v Value) mapped(name string, f func(string, Value) Value) Value {
	switch v.Kind {
	case List:
		items := make([]Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = it.mapped("", f)
		}
		v.Items = items
	case Record:
		v.Fields = v.Fields.Map(f)
	}
	return f(name, v)
}

// Equal reports whether two values are the same (kind and content).
func (v Value) Equal(w Value) bool { return reflect.DeepEqual(v, w) }
