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
// as a noun, "head"/"base" jargon in prose, and chains of colons (more
// than one colon in a sentence). Code (spans and fences) is not prose;
// the findings' messages (the rules' texts) are.
func spanishMistakes(md string) []string {
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
	out = append(out, colonChains(prose)...)
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

// colonChains lists the sentences of prose with more than one colon
// outside code ("…: …: …"): the seed writes short sentences instead. A
// location (path:line), a URL, a clock time, a «quotation» (a tool's
// words) and a link definition are not colons of the sentence, nor is a
// bold label (**Fecha:**); " · " separates the header's fields.
func colonChains(prose string) []string {
	var out []string
	for _, line := range strings.Split(prose, "\n") {
		if linkDef.MatchString(line) {
			continue
		}
		clean := notColons.ReplaceAllString(line, "X")
		for _, sentence := range sentenceEnd.Split(clean, -1) {
			if strings.Count(sentence, ":") > 1 {
				out = append(out, "colon chain: "+strings.TrimSpace(sentence))
			}
		}
	}
	return out
}

var (
	linkDef     = regexp.MustCompile(`^\s*\[[^\]]+\]: \S+$`)
	notColons   = regexp.MustCompile(`«[^»\n]*»|\*\*[^*\n]+:\*\*|[\w./@-]+:\d+(-\d+)?|\w+://\S+|\b\d{1,2}:\d{2}\b`)
	sentenceEnd = regexp.MustCompile(`[.!?](\s+|$)| · `)
)

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
		"La app «api» declara wait_ready: true, pero su código nunca lo envía: PM2 espera.",
	} {
		if len(spanishMistakes(bad+"\n")) == 0 {
			t.Errorf("the lint misses %q", bad)
		}
	}
}
