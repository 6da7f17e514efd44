package webhook

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/report"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

// commentMarker starts the report comment: it is how the comment is found
// again and edited on each push.
const commentMarker = "<!-- auditbot:report -->"

// RenderOptions are what the comment's rendering depends on.
type RenderOptions struct {
	// Lang is the report language.
	Lang string
	// MaxBytes bounds the output.
	MaxBytes int
	// RepoURL is the repository's web address (https://github.com/o/r):
	// file links are made absolute, pinned to the audited commits. Empty
	// leaves them relative.
	RepoURL string
}

// commentBody is the marker, the rendered report and the next steps, in at
// most githubapi.MaxCommentBody bytes.
func (s *Server) commentBody(doc *audit.Document, base, head, repoURL string) (string, error) {
	footer, err := nextSteps(s.cfg.Lang, s.cfg.Version, base, head)
	if err != nil {
		return "", err
	}
	budget := githubapi.MaxCommentBody - len(commentMarker) - 1 - len(footer)
	rep, err := s.deps.Renderer.Render(doc, RenderOptions{Lang: s.cfg.Lang, MaxBytes: budget, RepoURL: repoURL})
	if err != nil {
		return "", fmt.Errorf("rendering the report: %w", err)
	}
	rep, err = fitMarkdown(rep, budget, s.cfg.Lang)
	if err != nil {
		return "", err
	}
	return commentMarker + "\n" + rep + footer, nil
}

// nextSteps ends every report comment, after the report's own footer
// line: how to audit again, and the command that writes the same report
// locally.
func nextSteps(lang, version, base, head string) (string, error) {
	cmd := fmt.Sprintf("go run github.com/auditbot/auditbot/cmd/auditbot@%s report %s..%s", moduleQuery(version), base, head)
	t, err := report.GitHubText(lang, "next_steps", "cmd", "`"+cmd+"`")
	if err != nil {
		return "", fmt.Errorf("comment footer: %w", err)
	}
	return "\n" + t + "\n", nil
}

// moduleQuery is the `go run pkg@query` for the server's version: a
// release as it is, a development build of a known commit ("dev-<hex>")
// as that commit, anything else as "latest".
func moduleQuery(version string) string {
	if rev, ok := strings.CutPrefix(version, "dev-"); ok {
		if len(rev) >= 7 && isHex(rev) {
			return rev
		}
		return "latest"
	}
	if version == "" || version == "dev" || strings.ContainsAny(version, " `") {
		return "latest"
	}
	return version
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// noImpactBody replaces a report when a later push no longer touches PM2
// configuration: no stale findings stay on the pull request.
func noImpactBody(lang, head string) (string, error) {
	t, err := report.GitHubText(lang, "no_impact", "head", "`"+short(head)+"`")
	if err != nil {
		return "", fmt.Errorf("no-impact comment: %w", err)
	}
	return commentMarker + "\n## auditbot\n\n" + t + "\n", nil
}

// fitMarkdown returns md when it fits in budget bytes; otherwise it cuts it
// at a line boundary, closes what the cut left open (a code fence,
// <details> blocks) and says what was left out.
func fitMarkdown(md string, budget int, lang string) (string, error) {
	if len(md) <= budget {
		return md, nil
	}
	t, err := report.GitHubText(lang, "cut_note")
	if err != nil {
		return "", fmt.Errorf("cut note: %w", err)
	}
	note := "\n\n" + t + "\n"
	// Room for the note and the closers added below.
	const closersRoom = 200
	limit := budget - len(note) - closersRoom
	if limit < 0 {
		limit = 0
	}
	cut := truncateText(md, limit)
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	var closers strings.Builder
	if strings.Count(cut, "\n```")%2 == 1 || (strings.HasPrefix(cut, "```") && strings.Count(cut, "```")%2 == 1) {
		closers.WriteString("\n```")
	}
	open := strings.Count(cut, "<details") - strings.Count(cut, "</details>")
	for i := 0; i < open && closers.Len() < closersRoom-12; i++ {
		closers.WriteString("\n</details>")
	}
	return cut + closers.String() + note, nil
}

// truncateText cuts s to at most n bytes on a rune boundary.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// checkText is a check run title of the GitHub App in lang; a missing
// text (a catalog bug, caught by the tests) falls back to its key rather
// than failing the check run.
func checkText(lang, key string) string {
	t, err := report.GitHubText(lang, key)
	if err != nil {
		return key
	}
	return t
}

func checkTitleRunning(lang string) string    { return checkText(lang, "check_running") }
func checkTitleNoImpact(lang string) string   { return checkText(lang, "check_no_impact") }
func checkTitleFailed(lang string) string     { return checkText(lang, "check_failed") }
func checkTitleSuperseded(lang string) string { return checkText(lang, "check_superseded") }

// checkTitleGaveUp says that a job failed attempts times and was given up.
func checkTitleGaveUp(lang string, attempts int) string {
	t, err := report.GitHubText(lang, "check_gave_up", "attempts", strconv.Itoa(attempts))
	if err != nil {
		return "check_gave_up"
	}
	return t
}

// annotations are the findings after the change, in the report's words,
// within GitHub's limits.
func annotations(doc *audit.Document, lang string) ([]*github.CheckRunAnnotation, error) {
	w := report.AnnotationsWriter{Options: report.Options{Lang: lang}, MaxTitle: githubapi.MaxAnnotationTitle, MaxMessage: githubapi.MaxAnnotationMessage}
	anns, err := w.Annotations(doc)
	if err != nil {
		return nil, fmt.Errorf("check run annotations: %w", err)
	}
	// A file the change deletes has no line at head to annotate
	// (ecosystem-file-deleted): its finding is in the comment only.
	deleted := map[string]bool{}
	for _, c := range doc.Changed {
		if c.Status == "deleted" {
			deleted[c.Path] = true
		}
	}
	out := make([]*github.CheckRunAnnotation, 0, len(anns))
	for _, a := range anns {
		if deleted[a.Path] {
			continue
		}
		ga := &github.CheckRunAnnotation{
			Path:            github.String(a.Path),
			StartLine:       github.Int(a.Line),
			EndLine:         github.Int(a.Line),
			AnnotationLevel: github.String(string(a.Level)),
			Message:         github.String(a.Message),
		}
		if a.Title != "" {
			ga.Title = github.String(a.Title)
		}
		out = append(out, ga)
	}
	return out, nil
}
