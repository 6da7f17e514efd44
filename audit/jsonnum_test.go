package audit

import (
	"encoding/json"
	"math"
	"testing"
)

// TestOptionMarshalNonFinite: an option holding Infinity or NaN (a real
// ecosystem file has max_restarts: Infinity) is written as a string
// instead of failing the whole JSON document; other values are untouched.
func TestOptionMarshalNonFinite(t *testing.T) {
	for _, c := range []struct {
		value any
		want  string
	}{
		{math.Inf(1), `{"key":"k","value":"Infinity","line":1}`},
		{math.Inf(-1), `{"key":"k","value":"-Infinity","line":1}`},
		{math.NaN(), `{"key":"k","value":"NaN","line":1}`},
		{map[string]any{"A": math.Inf(1), "B": "x"}, `{"key":"k","value":{"A":"Infinity","B":"x"},"line":1}`},
		{[]any{1.0, math.NaN()}, `{"key":"k","value":[1,"NaN"],"line":1}`},
		{1600.0, `{"key":"k","value":1600,"line":1}`},
		{"Infinity", `{"key":"k","value":"Infinity","line":1}`},
	} {
		b, err := json.Marshal(Option{Key: "k", Value: c.value, Line: 1})
		if err != nil {
			t.Errorf("Marshal(%v): %v", c.value, err)
			continue
		}
		if string(b) != c.want {
			t.Errorf("Marshal(%v) = %s, want %s", c.value, b, c.want)
		}
	}
}
