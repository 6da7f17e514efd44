package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
)

// Text writes one line per finding still present at head (introduced or
// unchanged), `path:line: severity: message [rule]` with the message in
// opt.Lang, sorted by path, line and rule; then a one-line summary. Fixed
// findings are counted in the summary, not listed.
func Text(w io.Writer, doc *audit.Document, opt Options) error {
	opt, err := opt.normalize()
	if err != nil {
		return err
	}
	if doc == nil {
		return fmt.Errorf("report: nil document")
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return err
	}
	fs := make([]audit.Finding, 0, len(doc.Findings))
	for _, f := range doc.Findings {
		if f.State != audit.Fixed {
			fs = append(fs, f)
		}
	}
	slices.SortStableFunc(fs, audit.CompareFindingPlaces)
	var b strings.Builder
	for _, f := range fs {
		fv, err := cat.viewFinding(f)
		if err != nil {
			return err
		}
		msg := fv.Message
		loc := oneLine(f.Path)
		if f.Line > 0 {
			loc += ":" + strconv.Itoa(f.Line)
		}
		fmt.Fprintf(&b, "%s: %s: %s [%s]\n", loc, oneLine(f.Severity), oneLine(msg), oneLine(f.Rule))
	}
	s := doc.Summary
	key := s.Verdict
	if key == "" {
		key = "none"
	}
	verdict, err := cat.word("verdict_short", key)
	if err != nil {
		return err
	}
	counts, err := cat.severityCounts(s)
	if err != nil {
		return err
	}
	line, err := cat.phrase("text_summary", append(counts,
		"introduced", strconv.Itoa(s.Introduced), "fixed", strconv.Itoa(s.Fixed), "unchanged", strconv.Itoa(s.Unchanged),
		"verdict", verdict)...)
	if err != nil {
		return err
	}
	b.WriteString(line + "\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// jsonDocument is the engine's document with each finding phrased in
// one language: lang names it, every finding adds its title, text and
// remediation to its message's id and typed arguments, and every note its
// text.
type jsonDocument struct {
	*audit.Document
	Lang     string        `json:"lang"`
	Findings []jsonFinding `json:"findings"`
	Notes    []jsonNote    `json:"notes"`
}

// jsonNote is a note with its text in the document's language beside its
// message's id and arguments (the English text of a note not yet in the
// catalogs).
type jsonNote struct {
	audit.Note
	Text string `json:"text"`
}

type jsonFinding struct {
	audit.Finding
	Title       string `json:"title"`
	Text        string `json:"text"`
	Remediation string `json:"remediation"`
}

// JSON writes the document as indented JSON (two spaces), the engine's
// stable format, with each finding's title, text and remediation in
// opt.Lang beside its message's id and arguments. Map keys are sorted by
// encoding/json, so the output is deterministic; <, > and & are not
// escaped.
func JSON(w io.Writer, doc *audit.Document, opt Options) error {
	if doc == nil {
		return fmt.Errorf("report: nil document")
	}
	opt, err := opt.normalize()
	if err != nil {
		return err
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return err
	}
	out := jsonDocument{Document: doc, Lang: opt.Lang, Findings: make([]jsonFinding, 0, len(doc.Findings))}
	for _, f := range doc.Findings {
		fv, err := cat.viewFinding(f)
		if err != nil {
			return err
		}
		out.Findings = append(out.Findings, jsonFinding{Finding: f, Title: fv.Title, Text: fv.Message, Remediation: fv.Remediation})
	}
	out.Notes = make([]jsonNote, 0, len(doc.Notes))
	for _, n := range doc.Notes {
		nv, err := cat.viewNote(n)
		if err != nil {
			return err
		}
		out.Notes = append(out.Notes, jsonNote{Note: n, Text: nv.Text})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	return nil
}

// RuleInfo is a rule's metadata for SARIF's tool.driver.rules, passed in by
// the caller (the rule registry); its texts are the catalog's.
type RuleInfo struct {
	ID, Severity string
	Docs         string
}

// SARIF 2.1.0 document types (the subset auditbot writes).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string       `json:"id"`
		Name                 string       `json:"name"`
		ShortDescription     sarifMessage `json:"shortDescription"`
		FullDescription      sarifMessage `json:"fullDescription"`
		Help                 sarifHelp    `json:"help"`
		HelpURI              string       `json:"helpUri,omitempty"`
		DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	toolInfoURI  = "https://github.com/auditbot/auditbot"
	fingerprintK = "auditbotIdentity/v1"
)

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(sev string) string {
	switch Severity(sev) {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return "note"
}

// SARIF writes the findings still present at head as a SARIF 2.1.0 log:
// one driver rule per entry of rules (in the order given, then any rule a
// finding names that rules lacks, built from the finding), one result per
// introduced or unchanged finding with its path:line relative to
// %SRCROOT% and a fingerprint that does not depend on the line. Texts are
// in opt.Lang.
func SARIF(w io.Writer, doc *audit.Document, rules []RuleInfo, opt Options) error {
	opt, err := opt.normalize()
	if err != nil {
		return err
	}
	if doc == nil {
		return fmt.Errorf("report: nil document")
	}
	cat, err := loadCatalog(opt.Lang)
	if err != nil {
		return err
	}
	version := opt.Version
	if version == "" {
		version = doc.Tool.Version
	}
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "auditbot", Version: version, InformationURI: toolInfoURI, Rules: []sarifRule{}}}, Results: []sarifResult{}}
	index := map[string]int{}
	addRule := func(r RuleInfo) {
		if _, ok := index[r.ID]; ok || r.ID == "" {
			return
		}
		// A rule the catalog does not know (a document of another
		// version) is named by its id.
		t, err := cat.rules.texts(opt.Lang, r.ID)
		if err != nil {
			t = RuleText{Title: r.ID}
		}
		title, desc, rem := t.Title, t.Description, t.Remediation
		if desc == "" {
			desc = title
		}
		help := desc
		if rem != "" {
			help += "\n\n" + rem
		}
		md := mdInline(desc)
		if rem != "" {
			md += "\n\n" + mdInline(rem)
		}
		if u := safeURL(r.Docs); u != "" {
			md += "\n\n[PM2](" + u + ")"
		}
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: r.ID, Name: ruleName(r.ID),
			ShortDescription:     sarifMessage{Text: title},
			FullDescription:      sarifMessage{Text: desc},
			Help:                 sarifHelp{Text: help, Markdown: md},
			HelpURI:              safeURL(r.Docs),
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		})
	}
	for _, r := range rules {
		addRule(r)
	}
	for _, f := range sortedFindings(doc.Findings) {
		if f.State == audit.Fixed {
			continue
		}
		fv, err := cat.viewFinding(f)
		if err != nil {
			return err
		}
		addRule(RuleInfo{ID: f.Rule, Severity: f.Severity, Docs: f.Docs})
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: linkPath(f.Path), URIBaseID: "%SRCROOT%"}}}
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line}
		}
		sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Path + "\x00" + f.App + "\x00" + f.Option))
		run.Results = append(run.Results, sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:             sarifMessage{Text: fv.Message},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{fingerprintK: hex.EncodeToString(sum[:16])},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("report: sarif: %w", err)
	}
	return nil
}

// ruleName turns a kebab-case rule id into SARIF's PascalCase name.
func ruleName(id string) string {
	var b strings.Builder
	for _, p := range strings.Split(id, "-") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}
