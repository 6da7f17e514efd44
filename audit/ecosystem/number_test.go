package ecosystem

import (
	"math"
	"testing"
)

// TestFormatNumber protects how numbers are written back in messages and
// synthesized configs: as JavaScript prints them.
func TestFormatNumber(t *testing.T) {
	for n, want := range map[float64]string{
		50: "50", 1.5: "1.5", -3: "-3", 0: "0", 1e21: "1e+21", 123456789012: "123456789012",
		math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", 2147483648: "2147483648",
	} {
		if got := FormatNumber(n); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", n, got, want)
		}
	}
	if got := FormatNumber(math.NaN()); got != "NaN" {
		t.Errorf("FormatNumber(NaN) = %q", got)
	}
}
