package secret

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// urlPattern finds URLs in free text (error messages, log values).
var urlPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>` + "`" + `]+`)

// RedactURLs returns s with every URL's query values, fragment and
// userinfo password masked: errors of HTTP clients and git remotes quote
// the URL they called, and a URL may carry ?token=… or user:password@.
// Query keys are kept (per_page=••••••), so the message still says which
// call failed.
func RedactURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlPattern.ReplaceAllStringFunc(s, redactURL)
}

func redactURL(raw string) string {
	// A trailing colon or punctuation belongs to the message ("Get
	// \"https://…\": EOF" is quoted; "GET https://…?x=1: 404" is not).
	trail := ""
	for len(raw) > 0 && strings.ContainsRune(":,;.)]}", rune(raw[len(raw)-1])) {
		trail = raw[len(raw)-1:] + trail
		raw = raw[:len(raw)-1]
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Unparsable: keep only what comes before any query or userinfo.
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i] + "?" + Mask
		}
		return redactShapes(raw) + trail
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
		} else if len(u.User.Username()) >= 20 {
			u.User = url.User(Mask) // a token as the user
		}
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			k, _, _ := strings.Cut(p, "=")
			parts[i] = k + "=" + Mask
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if u.Fragment != "" || u.RawFragment != "" {
		u.Fragment, u.RawFragment = Mask, ""
	}
	out := u.String()
	// url.URL.String escapes the mask's bullets; show them as written.
	out = strings.ReplaceAll(out, url.QueryEscape(Mask), Mask)
	out = strings.ReplaceAll(out, url.PathEscape(Mask), Mask)
	return out + trail
}

// RedactingHandler wraps a slog.Handler so that no log record carries a
// URL's query, fragment or password (RedactURLs), in its message or in
// any string or error attribute, however deep in groups.
func RedactingHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(redactingHandler); ok {
		return h
	}
	return redactingHandler{h}
}

type redactingHandler struct{ h slog.Handler }

func (r redactingHandler) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r redactingHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, RedactURLs(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return redactingHandler{r.h.WithAttrs(red)}
}

func (r redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{r.h.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, RedactURLs(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = redactAttr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, RedactURLs(err.Error()))
		}
		if s, ok := v.Any().(interface{ String() string }); ok {
			return slog.String(a.Key, RedactURLs(s.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
