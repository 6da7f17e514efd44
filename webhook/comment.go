package webhook

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

// commentMarker starts the report comment: it is how the comment is found
// again and edited on each push.
const commentMarker = "<!-- auditbot:report -->"

// commentBody is the marker, the rendered report and the next steps, in at
// most githubapi.MaxCommentBody bytes.
func (s *Server) commentBody(doc *audit.Document, base, head string) (string, error) {
	footer := nextSteps(s.cfg.Lang, s.cfg.Version, base, head)
	budget := githubapi.MaxCommentBody - len(commentMarker) - 1 - len(footer)
	report, err := s.deps.Renderer.Render(doc, s.cfg.Lang, budget)
	if err != nil {
		return "", fmt.Errorf("rendering the report: %w", err)
	}
	report = fitMarkdown(report, budget, s.cfg.Lang)
	return commentMarker + "\n" + report + footer, nil
}

// nextSteps ends every report comment.
func nextSteps(lang, version, base, head string) string {
	cmd := fmt.Sprintf("go run github.com/auditbot/auditbot/cmd/auditbot@%s report %s..%s", moduleQuery(version), base, head)
	if lang == "en" {
		return "\n\n---\n**Next steps:** comment `/auditbot` to audit this pull request again; " +
			"locally: `" + cmd + "`\n"
	}
	return "\n\n---\n**Siguientes pasos:** comenta `/auditbot` para volver a auditar este pull request; " +
		"en local: `" + cmd + "`\n"
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
func noImpactBody(lang, head string) string {
	if lang == "en" {
		return commentMarker + "\n## auditbot\n\nAs of `" + short(head) + "` this pull request no longer touches PM2 " +
			"configuration (no ecosystem file, no source of a service one runs): the previous report no longer applies " +
			"and was removed.\n"
	}
	return commentMarker + "\n## auditbot\n\nDesde `" + short(head) + "` este pull request ya no toca la configuración " +
		"de PM2 (ningún fichero ecosystem ni el código de un servicio que ejecute): el informe anterior ya no aplica " +
		"y se ha retirado.\n"
}

// fitMarkdown returns md when it fits in budget bytes; otherwise it cuts it
// at a line boundary, closes what the cut left open (a code fence,
// <details> blocks) and says what was left out.
func fitMarkdown(md string, budget int, lang string) string {
	if len(md) <= budget {
		return md
	}
	note := "\n\n> **Nota:** el informe completo supera el límite de 65.536 caracteres de un comentario de GitHub; " +
		"se ha cortado aquí. Genera el informe completo en local con el comando de abajo.\n"
	if lang == "en" {
		note = "\n\n> **Note:** the full report is over GitHub's 65,536-character comment limit and was cut here. " +
			"Write the full report locally with the command below.\n"
	}
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
	return cut + closers.String() + note
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

func checkOutput(doc *audit.Document, lang string) (title, summary string) {
	sm := doc.Summary
	if lang == "en" {
		title = fmt.Sprintf("PM2: %d errors, %d warnings, %d notes", sm.Errors, sm.Warnings, sm.Infos)
		summary = fmt.Sprintf("Verdict: **%s**. Findings introduced: %d, fixed: %d, unchanged: %d. The full report is in the pull request's auditbot comment.",
			sm.Verdict, sm.Introduced, sm.Fixed, sm.Unchanged)
		return title, summary
	}
	title = fmt.Sprintf("PM2: %d errores, %d avisos, %d notas", sm.Errors, sm.Warnings, sm.Infos)
	summary = fmt.Sprintf("Veredicto: **%s**. Hallazgos introducidos: %d, corregidos: %d, sin cambios: %d. El informe completo está en el comentario de auditbot del pull request.",
		sm.Verdict, sm.Introduced, sm.Fixed, sm.Unchanged)
	return title, summary
}

func checkTitleRunning(lang string) string {
	if lang == "en" {
		return "Auditing PM2 configuration…"
	}
	return "Auditando la configuración de PM2…"
}

func checkTitleNoImpact(lang string) string {
	if lang == "en" {
		return "No PM2 impact"
	}
	return "Sin impacto en PM2"
}

func checkTitleFailed(lang string) string {
	if lang == "en" {
		return "The audit could not be completed (see the server logs)"
	}
	return "No se pudo completar la auditoría (ver los registros del servidor)"
}

func checkTitleSuperseded(lang string) string {
	if lang == "en" {
		return "Superseded by a newer push"
	}
	return "Sustituido por un push más reciente"
}
