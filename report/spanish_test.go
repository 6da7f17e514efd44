package report

import (
	"regexp"
	"strings"
	"testing"
)

// tuImperatives are second-person (tú) imperatives an earlier report used
// in recommendations, next steps and verdicts, where the seed's register
// is the infinitive ("Mantener", "Unificar", "Confirmar"). Checked at the
// start of a sentence or list item only: "PM2 ejecuta" or "el cambio
// elimina" are third persons, not orders.
var tuImperatives = []string{
	"Deja", "Borra", "Haz", "Elimina", "Usa", "Arranca", "Corrige", "Comprueba", "Compruébalo", "Mantén", "Añade",
	"Indica", "Ejecuta", "Renombra", "Escribe", "Vuelve", "Maneja", "Envía", "Lleva", "Revisa", "Revísalos", "Consulta",
	"Aplica", "Aplícalo", "Asegúrate", "Pasa", "Quita", "Apunta", "Elige", "Unifica", "Genera", "Completa", "Comenta",
	"Despliega", "Verifica", "Guarda", "Prueba", "Cambia", "Define", "Evita", "Ten", "Da", "Pon", "Sustituye",
}

// spanishMistakes lints a rendered Spanish report for the mistakes
// issue 11 lists: tú imperatives beside the infinitives of procedures and
// checklists, wrong plurals ("1 archivos", "líneas 13"), "informativos"
// as a noun, "head"/"base" jargon in prose, and chains of colons. Code
// (spans and fences) and the findings' own messages (the rules' texts,
// under «Hallazgos») are not prose of the report.
func spanishMistakes(md string) []string {
	if i, j := strings.Index(md, "<details><summary>Hallazgos"), strings.Index(md, "<details><summary>1. "); i >= 0 && j > i {
		md = md[:i] + md[j:]
	}
	prose := fenced.ReplaceAllString(md, "")
	prose = codeSpan.ReplaceAllString(prose, "C")
	var out []string
	sentenceStart := regexp.MustCompile(`(?m)(?:^(?:\s*(?:[-*]|\d+\.)\s+(?:\[[ x]\]\s+)?)?(?:\*\*[A-Z]\d+(?:, [A-Z]\d+)*\.\*\*\s+)?|[.:;]\s+|\(\s*|, o\s+|, y\s+| o bien\s+)(\p{L}+)`)
	for _, m := range sentenceStart.FindAllStringSubmatch(prose, -1) {
		for _, w := range tuImperatives {
			if strings.EqualFold(m[1], w) {
				out = append(out, "tú imperative: "+strings.TrimSpace(m[0]))
			}
		}
	}
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`\b1 (archivos|errores|advertencias|notas|hallazgos|instancias|líneas|apps|opciones|menciones|bloques)\b`),
		regexp.MustCompile(`\blíneas \d+\b[^-,\d]`),
		regexp.MustCompile(`\blínea \d+(-\d+|, \d+)`),
		regexp.MustCompile(`(?i)\b\d+ informativos?\b|\binformativos\b`),
		regexp.MustCompile(`\b(en|de|a) (head|base)\b`),
		// Three colons in one line of prose (the header's labels and
		// the repository's commit subject aside).
		regexp.MustCompile(`(?m)^[^\n|*][^\n|]*:[^\n|:]*:[^\n|:]*:[^\n|]*$`),
	} {
		for _, m := range re.FindAllString(prose, -1) {
			out = append(out, re.String()+": "+strings.TrimSpace(m))
		}
	}
	return out
}

var (
	fenced   = regexp.MustCompile("(?s)```+[a-z]*\n.*?\n[ \t]*```+")
	codeSpan = regexp.MustCompile("`+[^`\n]*`+")
)

// TestSpanishReadsAsWritten protects the register of the Spanish
// reports: the lint finds nothing in any golden case or the demo (and
// does find each known mistake, so it cannot pass by accident).
func TestSpanishReadsAsWritten(t *testing.T) {
	for _, c := range goldenCases {
		for _, comment := range []bool{false, true} {
			md := render(t, loadDoc(t, c), Options{Lang: "es", Now: testNow, Comment: comment, RepoURL: "https://github.com/acme/shop"})
			for _, m := range spanishMistakes(md) {
				t.Errorf("%s (comment %v): %s", c, comment, m)
			}
		}
	}
	for _, bad := range []string{
		"- Deja un solo archivo por conjunto de apps.",
		"1. **H2.** Borra el script si es un resto.",
		"Revísalos antes de desplegar.",
		"(1 archivos analizados)",
		"`index.js`, líneas 13: menciona",
		"3 informativos",
		"quedan hallazgos en head.",
		"Recomendación: mantén el archivo: el otro: sobra.",
	} {
		if len(spanishMistakes(bad+"\n")) == 0 {
			t.Errorf("the lint misses %q", bad)
		}
	}
}
