package report

import (
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/auditbot/auditbot/audit"
)

//go:embed templates
var templateFS embed.FS

// Languages the reports are written in; the first is the default.
var languages = []string{"es", "en"}

// catalog is one language's phrases: everything the templates say that
// depends on data (option purposes, impacts, risks, principles, verdict
// words). Prose that does not depend on data lives in the templates.
type catalog struct {
	// Words are short labels indexed by a group and a key, e.g.
	// words["severity"]["error"].
	Words map[string]map[string]string `yaml:"words"`
	// Phrases are sentences with Go text/template placeholders
	// ({{.name}}), the syntax of the rule catalogs too.
	Phrases map[string]string `yaml:"phrases"`
	// Purpose is what each PM2 option does, for the justification table.
	Purpose map[string]string `yaml:"purpose"`
	// Impact is, per rule, PM2's behaviour with the problem and without it.
	// A key "rule:variant" holds the texts of one case of a rule whose
	// cases differ (the finding's About.Variant); see impact.
	Impact map[string]impactText `yaml:"impact"`
	// Risks are the risks of a change that fixes or introduces a rule's
	// finding; GenericRisks apply to every change of configuration.
	Risks        map[string]riskText `yaml:"risks"`
	GenericRisks []riskText          `yaml:"generic_risks"`
	// SourceRisks apply to a change of service code only.
	SourceRisks []riskText `yaml:"source_risks"`
	// Principles name what a configuration commits to.
	Principles map[string]principleText `yaml:"principles"`
	// Rollback lists the conditions that call for a rollback.
	Rollback []string `yaml:"rollback"`

	// parsed holds every text above that may take placeholders, parsed
	// once when the catalog is loaded, by its source text.
	parsed map[string]*template.Template
	// rules are the language's rule texts (rules.yaml).
	rules *ruleCatalog
	// notes are the language's note texts (notes.yaml), by message id.
	notes map[string]*template.Template
}

type impactText struct {
	Problem  string `yaml:"problem"`
	Resolved string `yaml:"resolved"`
	// Justify, when set, says in one sentence why a finding of the rule
	// matters, for the objective of section 1 (the rule's title otherwise).
	Justify string `yaml:"justify"`
	// Removed, when set, replaces Resolved as the behaviour after a change
	// that fixes the finding by removing its option.
	Removed string `yaml:"removed"`
}

type riskText struct {
	Risk        string `yaml:"risk"`
	Probability string `yaml:"probability"`
	Impact      string `yaml:"impact"`
	Mitigation  string `yaml:"mitigation"`
	// When names the condition of the change under which a generic risk
	// applies (builder.changeConditions); empty means always.
	When string `yaml:"when"`
}

func (r riskText) row() riskRow {
	return riskRow{Risk: r.Risk, Probability: r.Probability, Impact: r.Impact, Mitigation: r.Mitigation}
}

type principleText struct {
	Name string `yaml:"name"`
	Why  string `yaml:"why"`
}

// loadCatalog reads the embedded catalog of lang.
func loadCatalog(lang string) (*catalog, error) {
	data, err := templateFS.ReadFile("templates/" + lang + "/catalog.yaml")
	if err != nil {
		return nil, fmt.Errorf("report: no catalog for language %q: %w", lang, err)
	}
	var c catalog
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("report: catalog %s: %w", lang, err)
	}
	c.parsed = map[string]*template.Template{}
	for _, src := range c.texts() {
		if _, ok := c.parsed[src]; ok {
			continue
		}
		t, err := template.New(lang).Option("missingkey=error").Parse(src)
		if err != nil {
			return nil, fmt.Errorf("report: catalog %s: %w", lang, err)
		}
		c.parsed[src] = t
	}
	if c.rules, err = loadRules(lang); err != nil {
		return nil, err
	}
	if c.notes, err = loadNotes(lang); err != nil {
		return nil, err
	}
	return &c, nil
}

// texts lists the catalog's texts that may take placeholders: phrases,
// impacts, risks and rollback conditions.
func (c *catalog) texts() []string {
	var out []string
	for _, p := range c.Phrases {
		out = append(out, p)
	}
	for _, it := range c.Impact {
		out = append(out, it.Problem, it.Resolved, it.Justify, it.Removed)
	}
	risks := append(append([]riskText{}, c.GenericRisks...), c.SourceRisks...)
	for _, r := range c.Risks {
		risks = append(risks, r)
	}
	for _, r := range risks {
		out = append(out, r.Risk, r.Probability, r.Impact, r.Mitigation)
	}
	return append(out, c.Rollback...)
}

// word returns words[group][key], or an error naming the missing entry.
func (c *catalog) word(group, key string) (string, error) {
	if w, ok := c.Words[group][key]; ok {
		return w, nil
	}
	return "", fmt.Errorf("catalog: no word %s.%s", group, key)
}

// phrase returns a phrase with its placeholders filled from the given
// name/value pairs. Values are inserted as they are: callers pass Markdown
// that is already safe.
func (c *catalog) phrase(key string, kv ...string) (string, error) {
	p, ok := c.Phrases[key]
	if !ok {
		return "", fmt.Errorf("catalog: no phrase %q", key)
	}
	return c.fill(p, kv...)
}

// fill executes a text of the catalog (parsed when it was loaded) with
// the given name/value pairs (a later pair overrides an earlier one of the
// same name); a placeholder without a value is an error.
func (c *catalog) fill(src string, kv ...string) (string, error) {
	t, ok := c.parsed[src]
	if !ok {
		return "", fmt.Errorf("catalog: %q is not a text of the catalog", src)
	}
	data := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i]] = kv[i+1]
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	return buf.String(), nil
}

// impact returns the impact texts of a finding: its case's
// ("<id>:<variant>", the rule's About.Variant), else its message's.
func (c *catalog) impact(f audit.Finding) (impactText, bool) {
	if v := f.About.Variant; v != "" {
		if it, ok := c.Impact[f.Message.ID+":"+v]; ok {
			return it, true
		}
	}
	it, ok := c.Impact[f.Message.ID]
	return it, ok
}

// risk returns the risk of fixing a finding: its case's, else its
// message's.
func (c *catalog) risk(f audit.Finding) (riskText, bool) {
	if v := f.About.Variant; v != "" {
		if r, ok := c.Risks[f.Message.ID+":"+v]; ok {
			return r, true
		}
	}
	r, ok := c.Risks[f.Message.ID]
	return r, ok
}

// count is the phrase "<key>_one" for n == 1, else "<key>_many" with
// {{.n}}: plurals live in the catalogs ("1 archivo analizado", "2 archivos
// analizados").
func (c *catalog) count(key string, n int) (string, error) {
	if n == 1 {
		return c.phrase(key + "_one")
	}
	return c.phrase(key+"_many", "n", strconv.Itoa(n))
}

// severityCounts are the placeholders errors, warnings and notes of a
// summary: its counts at head, as the catalog says them.
func (c *catalog) severityCounts(s audit.Summary) ([]string, error) {
	var kv []string
	for _, n := range []struct {
		key string
		n   int
	}{{"errors", s.Errors}, {"warnings", s.Warnings}, {"notes", s.Infos}} {
		p, err := c.count(n.key, n.n)
		if err != nil {
			return nil, err
		}
		kv = append(kv, n.key, p)
	}
	return kv, nil
}
