package rule

import (
	"regexp"
	"strings"

	"github.com/auditbot/auditbot/audit/scan"
)

// envGuard matches a guard that compares one environment variable with a
// string literal, in either order: process.env.NODE_ENV === 'production',
// 'production' !== process.env['NODE_ENV'].
var (
	envFirst = regexp.MustCompile(`^process\.env(?:\.([A-Za-z_$][\w$]*)|\[\s*['"]([A-Za-z_$][\w$]*)['"]\s*\])\s*(===|!==|==|!=)\s*['"]([^'"]*)['"]$`)
	litFirst = regexp.MustCompile(`^['"]([^'"]*)['"]\s*(===|!==|==|!=)\s*process\.env(?:\.([A-Za-z_$][\w$]*)|\[\s*['"]([A-Za-z_$][\w$]*)['"]\s*\])$`)
)

// guardFires decides a guarded handshake (scan.Evidence.Guard): fires is
// whether the call runs, decided whether that is known. An unguarded
// call fires. A guard decides only when it compares one environment
// variable with a literal and every value the repository gives that
// variable for the app is known (Service.Env): all make it true, the
// call fires; all false, it never does; otherwise, or for any other
// guard, it is undecided.
func guardFires(a *App, e scan.Evidence) (fires, decided bool) {
	g := strings.TrimSpace(e.Guard)
	if g == "" {
		return true, true
	}
	neg := false
	if strings.HasPrefix(g, "!(") && strings.HasSuffix(g, ")") {
		neg, g = true, strings.TrimSpace(g[2:len(g)-1])
	}
	for strings.HasPrefix(g, "(") && strings.HasSuffix(g, ")") {
		g = strings.TrimSpace(g[1 : len(g)-1])
	}
	var name, op, lit string
	if m := envFirst.FindStringSubmatch(g); m != nil {
		name, op, lit = m[1]+m[2], m[3], m[4]
	} else if m := litFirst.FindStringSubmatch(g); m != nil {
		lit, op, name = m[1], m[2], m[3]+m[4]
	} else {
		return false, false
	}
	s := a.Service
	if s == nil || s.EnvUnknown[name] || len(s.Env[name]) == 0 {
		return false, false
	}
	trues := 0
	for _, v := range s.Env[name] {
		ok := v == lit
		if op == "!==" || op == "!=" {
			ok = !ok
		}
		if ok != neg {
			trues++
		}
	}
	switch trues {
	case len(s.Env[name]):
		return true, true
	case 0:
		return false, true
	}
	return false, false
}

// guardedHandshakes splits the app's handshakes behind a guard into those
// that never fire and those whose guard is undecided.
func guardedHandshakes(a *App) (never, undecided []scan.Evidence) {
	for _, e := range rawHandshakes(a) {
		if e.Guard == "" {
			continue
		}
		switch fires, decided := guardFires(a, e); {
		case !decided:
			undecided = append(undecided, e)
		case !fires:
			never = append(never, e)
		}
	}
	return never, undecided
}
