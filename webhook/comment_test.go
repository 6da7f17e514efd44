package webhook

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/demo"
)

// Budgets of the demo's pull request comment (issue 11): what a reviewer
// sees before the first click, and the whole comment.
const (
	demoFirstScreenBudget = 1500
	demoCommentBudget     = 12000
)

// TestDemoCommentReadsInOneScreen protects the comment people read on a
// pull request: for `auditbot demo`'s change, the first screen (everything
// before the first <details>) states the verdict, what the change fixes
// and the one command that applies it, in under 1,500 characters; the
// whole comment is under 12,000; every file link is absolute (the
// repository's address and the audited commit), the sections are folded
// and closed, and goldmark parses it as the report means it.
func TestDemoCommentReadsInOneScreen(t *testing.T) {
	ctx := context.Background()
	repo, err := demo.Build(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := audit.RunRange(ctx, repo, "HEAD~1..HEAD", audit.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 2, 25, 9, 30, 0, 0, time.UTC)
	const repoURL = "https://github.com/acme/shop"
	link := regexp.MustCompile(`\]\(([^)]*)\)`)
	for lang, want := range map[string][]string{
		"es": {"⚠️ APROBADO CON ADVERTENCIAS", "**El cambio corrige:**", "pm2 delete session-manager && pm2 start ecosystem.config.js --only session-manager"},
		"en": {"⚠️ APPROVED WITH WARNINGS", "**The change fixes:**", "pm2 delete session-manager && pm2 start ecosystem.config.js --only session-manager"},
	} {
		srv := &Server{cfg: Config{Lang: lang, Version: "test"}, deps: Deps{Renderer: Engine{Version: "test", Now: func() time.Time { return now }}}}
		body, err := srv.commentBody(doc, doc.Base.SHA, doc.Head.SHA, repoURL)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(body, "<details>")
		if i < 0 {
			t.Fatalf("%s: no folded section", lang)
		}
		first := body[:i]
		n, total := utf8.RuneCountInString(first), utf8.RuneCountInString(body)
		t.Logf("%s: first screen %d characters, comment %d characters (%d bytes, %d lines)", lang, n, total, len(body), strings.Count(body, "\n"))
		if n >= demoFirstScreenBudget {
			t.Errorf("%s: the first screen is %d characters, want under %d:\n%s", lang, n, demoFirstScreenBudget, first)
		}
		if total >= demoCommentBudget {
			t.Errorf("%s: the comment is %d characters, want under %d", lang, total, demoCommentBudget)
		}
		for _, w := range want {
			if !strings.Contains(first, w) {
				t.Errorf("%s: the first screen lacks %q", lang, w)
			}
		}
		if strings.Count(body, "<details>") != strings.Count(body, "</details>") {
			t.Errorf("%s: unbalanced <details>", lang)
		}
		// Parsed as GitHub does: only our HTML (<details>, the marker),
		// only our links, fenced blocks closed, bash blocks that parse.
		checkHostileOutput(t, "demo-comment/"+lang, body, repoURL)
		links := 0
		for _, m := range link.FindAllStringSubmatch(body, -1) {
			links++
			if !strings.HasPrefix(m[1], "https://") {
				t.Errorf("%s: a link in the comment is not absolute: %q", lang, m[1])
			}
			if strings.HasPrefix(m[1], repoURL) && !strings.Contains(m[1], doc.Head.SHA) && !strings.Contains(m[1], doc.Base.SHA) {
				t.Errorf("%s: a repository link is not pinned to an audited commit: %q", lang, m[1])
			}
		}
		if links == 0 || !strings.Contains(body, repoURL+"/blob/"+doc.Head.SHA+"/services/session-manager/ecosystem.config.js") {
			t.Errorf("%s: no absolute link to the changed file at the head commit", lang)
		}
	}
}
