package rule

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"text/template"

	yaml "go.yaml.in/yaml/v3"
)

//go:embed i18n/*.yaml
var catalogFS embed.FS

// DefaultLang is the language of reports unless told otherwise.
const DefaultLang = "es"

// Langs are the languages the catalogs are written in.
var langs = []string{"es", "en"}

// Langs returns the supported languages, the default first.
func Langs() []string { return append([]string(nil), langs...) }

// Text is what a rule says about itself in one language.
type Text struct {
	// Title is one line.
	Title string
	// Description says what PM2 really does, citing docs/pm2-behaviour.md,
	// in a few sentences.
	Description string
	// Remediation is the concrete change to config or code.
	Remediation string
}

// entry is one rule's entry in a catalog file.
type entry struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Remediation string `yaml:"remediation"`
	Message     string `yaml:"message"`
}

// catalog is one language's texts, with the message templates parsed.
type catalog struct {
	entries   map[string]entry
	templates map[string]*template.Template
	remedies  map[string]*template.Template // remediation templates
}

// catalogs holds every language's catalog; it is built once from the
// embedded files and never modified afterwards.
var catalogs, catalogsErr = loadCatalogs()

var templateFuncs = template.FuncMap{
	"join": func(items []string, sep string) string { return strings.Join(items, sep) },
	// plural picks the singular or plural word for a count.
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

func loadCatalogs() (map[string]*catalog, error) {
	out := map[string]*catalog{}
	for _, lang := range langs {
		c, err := loadCatalog(lang)
		if err != nil {
			return nil, err
		}
		out[lang] = c
	}
	return out, nil
}

func loadCatalog(lang string) (*catalog, error) {
	name := "i18n/" + lang + ".yaml"
	b, err := catalogFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read rule catalog %s: %w", name, err)
	}
	var entries map[string]entry
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("parse rule catalog %s: %w", name, err)
	}
	c := &catalog{entries: entries, templates: map[string]*template.Template{}, remedies: map[string]*template.Template{}}
	for _, id := range sortedKeys(entries) {
		t, err := template.New(lang + "/" + id).Funcs(templateFuncs).Option("missingkey=error").Parse(strings.TrimSpace(entries[id].Message))
		if err != nil {
			return nil, fmt.Errorf("rule catalog %s: message of %s: %w", name, id, err)
		}
		c.templates[id] = t
		// A remediation may name what the code really does (the app's
		// own listen call); a key its finding lacks reads as empty, so the
		// text without the finding (docs, `auditbot rules`) is generic.
		r, err := template.New(lang + "/" + id + "/remediation").Funcs(templateFuncs).Option("missingkey=zero").Parse(strings.TrimSpace(entries[id].Remediation))
		if err != nil {
			return nil, fmt.Errorf("rule catalog %s: remediation of %s: %w", name, id, err)
		}
		c.remedies[id] = r
	}
	return c, nil
}

func catalogFor(lang string) (*catalog, error) {
	if catalogsErr != nil {
		return nil, catalogsErr
	}
	if lang == "" {
		lang = DefaultLang
	}
	c, ok := catalogs[lang]
	if !ok {
		return nil, fmt.Errorf("unknown language %q (want one of %s)", lang, strings.Join(langs, ", "))
	}
	return c, nil
}

// Texts returns the title, description and remediation of rule id in lang
// ("es", the default when empty, or "en").
func Texts(lang, id string) (Text, error) {
	c, err := catalogFor(lang)
	if err != nil {
		return Text{}, err
	}
	e, ok := c.entries[id]
	if !ok {
		return Text{}, fmt.Errorf("no %s text for rule %q", lang, id)
	}
	rem, err := renderRemedy(c, lang, id, nil)
	if err != nil {
		return Text{}, err
	}
	return Text{Title: strings.TrimSpace(e.Title), Description: strings.TrimSpace(e.Description), Remediation: rem}, nil
}

// Remediation renders a finding's remediation in lang from its rule's
// remediation template and the finding's Args (the generic text when the
// rule's Args do not say more).
func Remediation(lang string, f *Finding) (string, error) {
	c, err := catalogFor(lang)
	if err != nil {
		return "", err
	}
	return renderRemedy(c, lang, f.Rule, f.Args)
}

func renderRemedy(c *catalog, lang, id string, args map[string]any) (string, error) {
	t, ok := c.remedies[id]
	if !ok {
		return "", fmt.Errorf("no %s remediation for rule %q", lang, id)
	}
	if args == nil {
		args = map[string]any{}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, args); err != nil {
		return "", fmt.Errorf("render %s remediation of %s: %w", lang, id, err)
	}
	return buf.String(), nil
}

// Message renders one finding in lang from its rule's message template and
// the finding's Args. A key the template needs and Args lacks is an error.
func Message(lang string, f *Finding) (string, error) {
	c, err := catalogFor(lang)
	if err != nil {
		return "", err
	}
	t, ok := c.templates[f.Rule]
	if !ok {
		return "", fmt.Errorf("no %s message for rule %q", lang, f.Rule)
	}
	args := f.Args
	if args == nil {
		args = map[string]any{}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, args); err != nil {
		return "", fmt.Errorf("render %s message of %s: %w", lang, f.Rule, err)
	}
	return buf.String(), nil
}

// catalogIDs lists the rule ids a language's catalog has entries for.
func catalogIDs(lang string) ([]string, error) {
	c, err := catalogFor(lang)
	if err != nil {
		return nil, err
	}
	ids := sortedKeys(c.entries)
	sort.Strings(ids)
	return ids, nil
}
