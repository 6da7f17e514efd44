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
	if got := FileArg("-x.config.js"); got != "./-x.config.js" {
		t.Errorf("FileArg = %q", got)
	}
}
