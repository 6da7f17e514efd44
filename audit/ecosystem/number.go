package ecosystem

import (
	"math"
	"strconv"
)

// FormatNumber prints a number the way JavaScript's String(n) does for the
// values configs hold: 50, 1.5, 1e+21, Infinity, NaN.
func FormatNumber(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	}
	if math.Abs(n) < 1e21 {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return strconv.FormatFloat(n, 'g', -1, 64)
}
