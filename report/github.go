package report

import (
	"strconv"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
)

// The GitHub App's own texts (the comment's footer, the check run) live in
// the catalogs beside the report's, under "github": the webhook package
// holds no words of its own.

// GitHubText returns the GitHub App text key in lang with its
// {placeholders} filled from kv (name, value pairs; values already safe
// where they are Markdown).
func GitHubText(lang, key string, kv ...string) (string, error) {
	return Phrase(lang, "github_"+key, kv...)
}

// Phrase returns a catalog phrase in lang with its {placeholders} filled
// from kv: the words of the programs around the report (the GitHub App,
// `auditbot rules`) live in the report's catalogs too.
func Phrase(lang, key string, kv ...string) (string, error) {
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		return "", err
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return "", err
	}
	return cat.phrase(key, kv...)
}

// Languages are the report languages, the default first.
func Languages() []string { return append([]string(nil), languages...) }

// CheckRunOutput is the title and summary of the check run of a completed
// audit, in the report's words (errores, advertencias, notas; the
// verdict as the report says it), counting the report's finding ids.
func CheckRunOutput(doc *audit.Document, lang string) (title, summary string, err error) {
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		return "", "", err
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return "", "", err
	}
	// The report's ids, as the comment counts them.
	s := countIDs(doc.Findings).summary()
	verdict := doc.Summary.Verdict
	if verdict == "" {
		verdict = "none"
	}
	v, err := cat.word("verdict_short", verdict)
	if err != nil {
		return "", "", err
	}
	counts, err := cat.severityCounts(s)
	if err != nil {
		return "", "", err
	}
	title, err = cat.phrase("github_check_title", counts...)
	if err != nil {
		return "", "", err
	}
	introduced, err := cat.count("findings", s.Introduced)
	if err != nil {
		return "", "", err
	}
	summary, err = cat.phrase("github_check_summary", "verdict", v, "introduced", introduced,
		"fixed", strconv.Itoa(s.Fixed), "unchanged", strconv.Itoa(s.Unchanged))
	return title, summary, err
}

// Annotation is one check run annotation: a finding still present after
// the change, at its line, in the report's language.
type Annotation struct {
	Path    string
	Line    int
	Level   AnnotationLevel
	Title   string
	Message string
}

// AnnotationLevel is a check run annotation's level.
type AnnotationLevel string

// The levels GitHub accepts.
const (
	LevelFailure AnnotationLevel = "failure"
	LevelWarning AnnotationLevel = "warning"
	LevelNotice  AnnotationLevel = "notice"
)

// levelOf maps a severity to an annotation level.
func levelOf(s Severity) AnnotationLevel {
	switch s {
	case SeverityError:
		return LevelFailure
	case SeverityWarning:
		return LevelWarning
	}
	return LevelNotice
}

// Annotations are the findings after the change (fixed ones are at the
// base, whose lines the head does not have), with titles and messages in
// opt.Lang, cut to maxTitle and maxMessage bytes on a rune boundary
// (GitHub's limits; 0 = no limit).
func Annotations(doc *audit.Document, opt Options, maxTitle, maxMessage int) ([]Annotation, error) {
	opt, err := opt.normalize()
	if err != nil {
		return nil, err
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return nil, err
	}
	var out []Annotation
	for _, f := range doc.Findings {
		if stateOf(f) == StateFixed || f.Path == "" {
			continue
		}
		fv, err := cat.viewFinding(f)
		if err != nil {
			return nil, err
		}
		msg := fv.Message
		if msg == "" {
			msg = f.Rule
		}
		title := fv.Title
		out = append(out, Annotation{Path: f.Path, Line: max(f.Line, 1), Level: levelOf(severityOf(f)),
			Title: cutRunes(title, maxTitle), Message: cutRunes(msg, maxMessage)})
	}
	return out, nil
}

// cutRunes cuts s to at most n bytes on a rune boundary; n <= 0 keeps it.
func cutRunes(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
