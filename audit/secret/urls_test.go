package secret

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

// TestRedactURLs: an error that quotes a URL never echoes its query
// values, fragment or password (issue 9).
func TestRedactURLs(t *testing.T) {
	M := Mask
	for _, c := range []struct{ in, want string }{
		{`Get "https://h.example/x?token=abc123": EOF`, `Get "https://h.example/x?token=` + M + `": EOF`},
		{`GET https://api.github.com/repos/o/r/compare/a...b?per_page=1: 404 Not Found []`, `GET https://api.github.com/repos/o/r/compare/a...b?per_page=` + M + `: 404 Not Found []`},
		{`fetch https://x-access-token:ghs_abc@github.com/o/r.git: auth`, `fetch https://x-access-token:` + M + `@github.com/o/r.git: auth`},
		{`https://abcdefghijklmnopqrstuvwxyz@github.com/o/r`, `https://` + M + `@github.com/o/r`},
		{`https://h/cb?a=1&secret=s#frag`, `https://h/cb?a=` + M + `&secret=` + M + `#` + M},
		{`no url here ?token=x`, `no url here ?token=x`},
		{`https://github.com/o/r.git, done.`, `https://github.com/o/r.git, done.`},
		{`postgres://admin@db/app`, `postgres://admin@db/app`},
	} {
		if got := RedactURLs(c.in); got != c.want {
			t.Errorf("RedactURLs(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestRedactingHandler: messages, string and error attributes, groups and
// WithAttrs all go through RedactURLs.
func TestRedactingHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(RedactingHandler(slog.NewTextHandler(&buf, nil)))
	uerr := &url.Error{Op: "Get", URL: "https://h.example/api?token=tok-1", Err: io.EOF}
	log.With("base", "https://h.example/?token=tok-2").Error("fetch https://h.example/r?token=tok-3 failed",
		"err", uerr, "wrapped", errors.Join(errors.New("x"), uerr), "s", "https://u:tok-4@h.example/",
		slog.Group("g", "u", "https://h.example/?k=tok-5"))
	out := buf.String()
	for _, tok := range []string{"tok-1", "tok-2", "tok-3", "tok-4", "tok-5"} {
		if strings.Contains(out, tok) {
			t.Errorf("%s reached the log: %s", tok, out)
		}
	}
	if !strings.Contains(out, "token=") {
		t.Errorf("the keys were lost: %s", out)
	}
}
