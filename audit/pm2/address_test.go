package pm2

import (
	"strings"
	"testing"
)

// TestAppArgs: a name PM2's command line would read as an option or a
// command word is given as a regular expression of that name only, or
// after `--` for show; a flag's such value is joined with `=`; any other
// name is written as it is. (audit/proof's procedure-option-like-names
// runs these forms on a real PM2.)
func TestAppArgs(t *testing.T) {
	for _, c := range []struct {
		verb, name string
		flags      []string
		want       string
	}{
		{"delete", "api", nil, "delete api"},
		{"logs", "api", []string{"--lines", "80"}, "logs api --lines 80"},
		{"delete", "-rf", nil, "delete /^-rf$/"},
		{"restart", "--watch", nil, "restart /^--watch$/"},
		{"reload", "log", nil, "reload /^log$/"},
		{"logs", "-s", []string{"--nostream"}, "logs /^-s$/ --nostream"},
		{"show", "-rf", nil, "show -- -rf"},
		{"show", "startup", nil, "show -- startup"},
		{"delete", "-a.b/c(d)$", nil, `delete /^-a\.b\x2fc\(d\)\$$/`},
		{"delete", "my-app", nil, "delete my-app"},
		// Numbers: PM2 falls back to the process id; show has no regex form.
		{"delete", "2024", nil, "delete /^2024$/"},
		{"restart", "0x1f", nil, "restart /^0x1f$/"},
		{"logs", "1e3", []string{"--nostream"}, "logs /^1e3$/ --nostream"},
		{"delete", "-1", nil, "delete /^-1$/"},
		{"show", "2024", nil, "show 2024"},
		{"show", "-1", nil, "show -- -1"},
		{"delete", "v2024", nil, "delete v2024"},
	} {
		if got := strings.Join(AppArgs(c.verb, c.name, c.flags...), " "); got != c.want {
			t.Errorf("AppArgs(%q, %q, %q) = %q, want %q", c.verb, c.name, c.flags, got, c.want)
		}
	}
	for _, c := range [][3]string{{"--only", "api", "--only api"}, {"--only", "-rf", "--only=-rf"}, {"--env", "log", "--env=log"}, {"--only", "a,-b", "--only a,-b"}} {
		if got := strings.Join(FlagArgs(c[0], c[1]), " "); got != c[2] {
			t.Errorf("FlagArgs(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
	for name, want := range map[string]bool{"2024": true, "-1": true, " 7 ": true, "0x1f": true, "1e3": true, "Infinity": true, "-Infinity": true,
		"1.5": true, "v2024": false, "0x": false, "inf": false, "NaN": false, "1_000": false, "12a": false, "api": false} {
		if got := Numeric(name); got != want {
			t.Errorf("Numeric(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{"my api": true, "a,b": true, "my-api": false, "a\tb": false} {
		if got := OnlySplits(name); got != want {
			t.Errorf("OnlySplits(%q) = %v, want %v", name, got, want)
		}
	}
	if got := FileArg("-x.config.js"); got != "./-x.config.js" {
		t.Errorf("FileArg = %q", got)
	}
}
