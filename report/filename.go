package report

import (
	"strings"
	"time"

	"github.com/auditbot/auditbot/audit"
)

// asciiFold maps the accented letters of Spanish and neighbouring
// languages to ASCII for file names.
var asciiFold = strings.NewReplacer(
	"á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n", "ç", "c",
	"à", "a", "è", "e", "ì", "i", "ò", "o", "ù", "u", "â", "a", "ê", "e", "î", "i", "ô", "o", "û", "u",
	"Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ü", "U", "Ñ", "N", "Ç", "C",
)

// slug upper-cases s and keeps only A-Z and 0-9, other runs becoming one
// dash; at most max bytes.
func slug(s string, max int) string {
	s = strings.ToUpper(asciiFold.Replace(s))
	var b strings.Builder
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(c)
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > max {
		out = strings.TrimRight(out[:max], "-")
	}
	return out
}

// FileName is the dated name of the document for release documentation,
// in the style of the hand-written audits:
// PM2-<APP>-<TEMA>-<YYYY-MM-DD>.md, where APP is the main app's name and
// TEMA the topic of the change (ELIMINACION-WAIT-READY, CAMBIO-CONFIG...),
// both upper-case ASCII, in lang's words (REMOVAL-WAIT-READY in English);
// an unknown lang takes the default language's.
func FileName(doc *audit.Document, now time.Time, lang string) string {
	date := now.UTC().Format("2006-01-02")
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		opt.Lang = languages[0]
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil || doc == nil {
		return "PM2-" + date + ".md"
	}
	typ := changeType(doc)
	topic := cat.Words["filename"][typ]
	if typ == "removal" || typ == "addition" {
		if k := topicKey(doc, typ); k != "" {
			topic += "-" + k
		}
	}
	parts := []string{"PM2"}
	if apps := appNames(doc); len(apps) > 0 {
		if a := slug(apps[0], 40); a != "" {
			parts = append(parts, a)
		}
	}
	if t := slug(topic, 60); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, "-") + "-" + date + ".md"
}

// topicKey is the option a removal or addition is about: the option of a
// finding the change fixes or introduces when there is one, else the first
// option changed.
func topicKey(doc *audit.Document, typ string) string {
	want := audit.Removed
	if typ == "addition" {
		want = audit.Added
	}
	changed := map[string]bool{}
	first := ""
	for _, e := range doc.Ecosystems {
		for _, c := range e.Changes {
			if c.Change == want {
				changed[c.Key] = true
				if first == "" {
					first = c.Key
				}
			}
		}
	}
	for _, f := range sortedFindings(doc.Findings) {
		if f.State != audit.Persisting && changed[f.Option] {
			return f.Option
		}
	}
	return first
}
