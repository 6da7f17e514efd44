package report

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
)

// The words of the rules: templates/<lang>/rules.yaml has, per rule id, a
// title, a description (what PM2 really does), a remediation and the
// message of one finding. Messages and remediations are Go text/templates
// filled from the finding's typed arguments (audit/message); the engine
// renders none of them.

// ruleEntry is one rule's texts in one language.
type ruleEntry struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Remediation string `yaml:"remediation"`
	Message     string `yaml:"message"`
}

// ruleCatalog is one language's rule texts, the templates parsed.
type ruleCatalog struct {
	entries  map[string]ruleEntry
	messages map[string]*template.Template
	remedies map[string]*template.Template
}

// ruleFuncs are the functions rule texts may call.
var ruleFuncs = template.FuncMap{
	"join": func(items []string, sep string) string { return strings.Join(items, sep) },
	// plural picks the singular or plural word for a count.
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

// loadRules reads and parses templates/<lang>/rules.yaml.
func loadRules(lang string) (*ruleCatalog, error) {
	name := "templates/" + lang + "/rules.yaml"
	data, err := templateFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("report: no rule texts for language %q: %w", lang, err)
	}
	var entries map[string]ruleEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("report: %s: %w", name, err)
	}
	rc := &ruleCatalog{entries: entries, messages: map[string]*template.Template{}, remedies: map[string]*template.Template{}}
	for id, e := range entries {
		// A message names only arguments its finding carries: a missing
		// one is an error, never "<no value>".
		t, err := template.New(lang + "/" + id).Funcs(ruleFuncs).Option("missingkey=error").Parse(strings.TrimSpace(e.Message))
		if err != nil {
			return nil, fmt.Errorf("report: %s: message of %s: %w", name, id, err)
		}
		rc.messages[id] = t
		// A remediation may name what the code really does (the app's own
		// listen call); an argument its finding lacks reads as empty, so
		// the text without a finding (docs, `auditbot rules`) is generic.
		r, err := template.New(lang + "/" + id + "/remediation").Funcs(ruleFuncs).Option("missingkey=zero").Parse(strings.TrimSpace(e.Remediation))
		if err != nil {
			return nil, fmt.Errorf("report: %s: remediation of %s: %w", name, id, err)
		}
		rc.remedies[id] = r
	}
	return rc, nil
}

// RuleText is what a rule says about itself in one language.
type RuleText struct {
	// Title is one line.
	Title string
	// Description says what PM2 really does, citing its behaviours as
	// §<id> (docs/pm2-behaviour.md#<id>).
	Description string
	// Remediation is the concrete change to config or code, in general
	// (a finding's own may name more).
	Remediation string
}

// RuleTexts returns the texts of rule id in lang ("es", the default when
// empty, or "en").
func RuleTexts(lang, id string) (RuleText, error) {
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		return RuleText{}, err
	}
	rc, err := loadRules(opt.Lang)
	if err != nil {
		return RuleText{}, err
	}
	return rc.texts(opt.Lang, id)
}

func (rc *ruleCatalog) texts(lang, id string) (RuleText, error) {
	e, ok := rc.entries[id]
	if !ok {
		return RuleText{}, fmt.Errorf("report: no %s texts for rule %q", lang, id)
	}
	rem, err := execute(rc.remedies[id], nil)
	if err != nil {
		return RuleText{}, err
	}
	return RuleText{Title: strings.TrimSpace(e.Title), Description: strings.TrimSpace(e.Description), Remediation: rem}, nil
}

// finding phrases a finding: its rule's title, and its message and
// remediation filled from its arguments.
func (rc *ruleCatalog) finding(f audit.Finding) (title, msg, remediation string, err error) {
	id := f.Message.ID
	e, ok := rc.entries[id]
	if !ok {
		return "", "", "", fmt.Errorf("report: finding of %s: no texts for message %q", f.Rule, id)
	}
	data := templateData(f.Message.Args)
	if msg, err = execute(rc.messages[id], data); err != nil {
		return "", "", "", fmt.Errorf("report: message of %s: %w", id, err)
	}
	if remediation, err = execute(rc.remedies[id], data); err != nil {
		return "", "", "", fmt.Errorf("report: remediation of %s: %w", id, err)
	}
	return strings.TrimSpace(e.Title), msg, remediation, nil
}

func execute(t *template.Template, data map[string]any) (string, error) {
	if data == nil {
		data = map[string]any{}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// templateData is what a rule text sees of a finding's arguments, each
// printed as its kind says. Messages are plain text in which `code`
// spans are marked by backticks; every output (Markdown, table cells,
// text, SARIF, annotations) then makes them safe its own way.
//   - text (prose from the repository): as it is, its backticks turned
//     into quotes so that it opens no code span;
//   - code and option names: as they are (the texts put them in spans);
//   - counts: whole numbers, which plurals and comparisons read;
//   - milliseconds and other quantities: decimal, "Infinity" for
//     listen_timeout: Infinity;
//   - locations: path:line;
//   - bools: conditions;
//   - lists: joined by ", " when printed, items for range and join;
//     a list of records (a table's rows) as maps.
func templateData(args message.Args) map[string]any {
	out := make(map[string]any, len(args))
	for k, v := range args {
		out[k] = templateValue(v)
	}
	return out
}

// listArg is a printed list: ", " between its items.
type listArg []string

func (l listArg) String() string { return strings.Join(l, ", ") }

// numberArg is a quantity printed as JavaScript prints it.
type numberArg float64

func (n numberArg) String() string { return message.FormatNumber(float64(n)) }

func templateValue(v message.Value) any {
	switch v.Kind {
	case message.Count:
		return v.Int()
	case message.Millis, message.Number:
		return numberArg(v.Num)
	case message.Bool:
		return v.Bool
	case message.Location:
		return v.String()
	case message.Record:
		return templateData(v.Fields)
	case message.List:
		if len(v.Items) > 0 && !slices.ContainsFunc(v.Items, func(it message.Value) bool { return it.Kind != message.Record }) {
			rows := make([]map[string]any, len(v.Items))
			for i, it := range v.Items {
				rows[i] = templateData(it.Fields)
			}
			return rows
		}
		items := make(listArg, len(v.Items))
		for i, it := range v.Items {
			items[i] = fmt.Sprint(templateValue(it))
		}
		return items
	case message.Text:
		return strings.ReplaceAll(v.Str, "`", "'")
	}
	return v.Str
}

// FindingText is a finding phrased in one language.
type FindingText struct {
	Title, Message, Remediation string
}

// FindingTexts phrases a finding in lang ("es", the default when empty,
// or "en"): its rule's title, and its message and remediation filled from
// its arguments.
func FindingTexts(f audit.Finding, lang string) (FindingText, error) {
	opt, err := Options{Lang: lang}.normalize()
	if err != nil {
		return FindingText{}, err
	}
	rc, err := loadRules(opt.Lang)
	if err != nil {
		return FindingText{}, err
	}
	title, msg, rem, err := rc.finding(f)
	return FindingText{Title: title, Message: msg, Remediation: rem}, err
}
