package audit

import (
	"encoding/json"
	"math"
)

// MarshalJSON writes the option with the numbers JSON cannot hold
// (Infinity, -Infinity, NaN: `max_restarts: Infinity` is common) as their
// JavaScript spelling in a string; encoding/json refuses them otherwise
// and no document could be written.
func (o Option) MarshalJSON() ([]byte, error) {
	type plain Option
	p := plain(o)
	if nonFinite(p.Value) {
		p.Value = finiteJSON(p.Value)
	}
	return json.Marshal(p)
}

// nonFinite reports whether a float64 under v is Infinity or NaN.
func nonFinite(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsInf(x, 0) || math.IsNaN(x)
	case []any:
		for _, e := range x {
			if nonFinite(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if nonFinite(e) {
				return true
			}
		}
	}
	return false
}

// finiteJSON returns a copy of v with every non-finite float64 spelled as
// a string.
func finiteJSON(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return jsNonFinite(x)
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = finiteJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = finiteJSON(e)
		}
		return out
	}
	return v
}

// jsNonFinite spells a non-finite number as JavaScript does.
func jsNonFinite(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case n > 0:
		return "Infinity"
	}
	return "-Infinity"
}
