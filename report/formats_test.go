package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/auditbot/auditbot/audit"
)

// TestFileName protects the dated release-documentation name: main app
// and topic upper-case ASCII, the injected date, the topic in the
// report's language (an English report gets an English name).
func TestFileName(t *testing.T) {
	seed := loadDoc(t, "seed")
	accented := &audit.Document{Impact: true,
		Changed:  []audit.ChangedFile{{Path: "x.js", Kind: audit.KindSource, Status: "modified"}},
		Services: []audit.Service{{App: "Gestión de sesiones/ñandú"}}}
	noImpact := &audit.Document{}
	mixed := &audit.Document{Impact: true, Ecosystems: []audit.Ecosystem{{
		Head:    &audit.EcoRev{Apps: []audit.App{{Name: "api"}}},
		Changes: []audit.OptionChange{{App: "api", Key: "watch", Change: audit.Removed}, {App: "api", Key: "port", Change: audit.Added}},
	}}}
	added := &audit.Document{Impact: true, Ecosystems: []audit.Ecosystem{{
		Head:    &audit.EcoRev{Apps: []audit.App{{Name: "worker"}}},
		Changes: []audit.OptionChange{{App: "worker", Key: "kill_timeout", Change: audit.Added}},
	}}}
	day := time.Date(2026, 2, 25, 23, 59, 0, 0, time.UTC)
	tests := []struct {
		name string
		doc  *audit.Document
		lang string
		want string
	}{
		{"seed removal names the fixed option", seed, "es", "PM2-SESSION-MANAGER-ELIMINACION-WAIT-READY-2026-02-25.md"},
		{"source change, accents folded", accented, "es", "PM2-GESTION-DE-SESIONES-NANDU-CAMBIO-CODIGO-2026-02-25.md"},
		{"no impact", noImpact, "es", "PM2-SIN-IMPACTO-2026-02-25.md"},
		{"mixed change", mixed, "es", "PM2-API-CAMBIO-CONFIG-2026-02-25.md"},
		{"addition", added, "es", "PM2-WORKER-ADICION-KILL-TIMEOUT-2026-02-25.md"},
		{"English removal", seed, "en", "PM2-SESSION-MANAGER-REMOVAL-WAIT-READY-2026-02-25.md"},
		{"English code change", accented, "en", "PM2-GESTION-DE-SESIONES-NANDU-CODE-CHANGE-2026-02-25.md"},
		{"English mixed change", mixed, "en", "PM2-API-CONFIG-CHANGE-2026-02-25.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FileName(tt.doc, day, tt.lang); got != tt.want {
				t.Errorf("FileName = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestText protects the terse format: one sorted line per finding still
// at head, fixed ones only counted, then the summary line.
func TestText(t *testing.T) {
	doc := loadDoc(t, "seed")
	// The message of the finding at path:line, as the catalog says it.
	msg := func(lang, path string, line int) string {
		for _, f := range doc.Findings {
			if f.Path == path && f.Line == line {
				return viewIn(t, f, lang).Message
			}
		}
		t.Fatalf("no finding at %s:%d", path, line)
		return ""
	}
	const js, sh = "services/session-manager/ecosystem.config.js", "services/session-manager/start-with-xvfb.sh"
	tests := []struct {
		lang string
		want string
	}{
		{"es", js + ":3: info: " + msg("es", js, 3) + " [twin-config-drift]\n" +
			js + ":28: info: " + msg("es", js, 28) + " [memory-limit-vs-heap]\n" +
			sh + ":1: info: " + msg("es", sh, 1) + " [helper-script-unreferenced]\n" +
			"Tras el cambio, 0 errores, 0 advertencias y 3 notas. Hallazgos introducidos 0, corregidos 2, sin cambios 3. Veredicto: aprobado.\n"},
		{"en", js + ":3: info: " + msg("en", js, 3) + " [twin-config-drift]\n" +
			js + ":28: info: " + msg("en", js, 28) + " [memory-limit-vs-heap]\n" +
			sh + ":1: info: " + msg("en", sh, 1) + " [helper-script-unreferenced]\n" +
			"After the change, 0 errors, 0 warnings and 3 notes. Findings introduced 0, fixed 2, unchanged 3. Verdict: approved.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Text(&buf, doc, Options{Lang: tt.lang}); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("Text =\n%s\nwant\n%s", buf.String(), tt.want)
			}
		})
	}
	// A message with a newline cannot forge a second finding line.
	evil := &audit.Document{Findings: []audit.Finding{{Rule: "r", Severity: "error", State: audit.Introduced, Path: "a\nb.js:1: error: fake", Line: 2,
		About: testAbout("wait-ready-without-handshake"), Message: testMessage("wait-ready-without-handshake", "x\ny", nil)}}}
	var buf bytes.Buffer
	if err := Text(&buf, evil, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Errorf("a hostile path/message produced %d lines, want 2:\n%s", n, buf.String())
	}
}

// TestJSONRoundTrip protects the JSON writer: indented, stable, and it
// decodes back to the same document.
func TestJSONRoundTrip(t *testing.T) {
	doc := loadDoc(t, "seed")
	var a, b bytes.Buffer
	if err := JSON(&a, doc, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&b, doc, Options{}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("JSON output is not deterministic")
	}
	if !strings.HasPrefix(a.String(), "{\n  \"schema\": ") {
		t.Errorf("JSON is not indented with two spaces: %.40q", a.String())
	}
	var back audit.Document
	if err := json.Unmarshal(a.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := JSON(&c, &back, Options{}); err != nil {
		t.Fatal(err)
	}
	if c.String() != a.String() {
		t.Error("JSON does not round-trip")
	}
	if !strings.Contains(a.String(), "process.send('ready')") {
		t.Error("JSON escaped characters it should keep (SetEscapeHTML)")
	}
}

// typed SARIF for validation in tests, with required fields as values.
type sarifCheck struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

// TestSARIF validates the SARIF 2.1.0 structure: required fields, rule
// metadata from the parameter, ruleIndex pointing at the right rule,
// levels, locations, no result for fixed findings.
func TestSARIF(t *testing.T) {
	doc := loadDoc(t, "seed")
	doc.Findings = append(doc.Findings, audit.Finding{Rule: "kill-signal-not-handled", Severity: "warning", State: audit.Introduced,
		Path: "services/session-manager/index.js", Line: 97, About: testAbout("kill-signal-not-handled"), Message: testMessage("kill-signal-not-handled", "session-manager", nil)})
	rules := []RuleInfo{
		{ID: "wait-ready-without-handshake", Severity: "error", Docs: "https://pm2.keymetrics.io/docs/usage/signals-clean-restart/"},
		{ID: "kill-signal-not-handled", Severity: "warning"},
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, doc, rules, Options{Lang: "en", Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	var log sarifCheck
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("SARIF does not match the expected structure: %v", err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("bad header: %q %q runs=%d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "auditbot" || d.Version != "1.2.3" || d.InformationURI == "" {
		t.Errorf("driver = %+v", d)
	}
	if d.Rules[0].ID != "wait-ready-without-handshake" || d.Rules[0].Name != "WaitReadyWithoutHandshake" ||
		d.Rules[0].DefaultConfiguration.Level != "error" || d.Rules[0].HelpURI == "" ||
		!strings.Contains(d.Rules[0].Help.Markdown, "`wait_ready`") || d.Rules[0].ShortDescription.Text != "wait_ready: true but the code never sends the ready message" {
		t.Errorf("rule 0 = %+v", d.Rules[0])
	}
	for _, r := range d.Rules {
		if r.ID == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.DefaultConfiguration.Level == "" {
			t.Errorf("rule %q lacks a required field: %+v", r.ID, r)
		}
	}
	// 3 unchanged + 1 introduced; the 2 fixed are not results.
	if len(run.Results) != 4 {
		t.Fatalf("results = %d, want 4", len(run.Results))
	}
	levels := map[string]string{}
	for _, r := range run.Results {
		if r.RuleIndex == nil || *r.RuleIndex >= len(d.Rules) || d.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex does not point at its rule", r.RuleID)
		}
		if r.RuleID == "wait-ready-without-handshake" {
			t.Error("a fixed finding became a SARIF result")
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
			r.Locations[0].PhysicalLocation.Region == nil || r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %s: bad location %+v", r.RuleID, r.Locations)
		}
		if r.Message.Text == "" || len(r.PartialFingerprints) == 0 {
			t.Errorf("result %s: no message or fingerprint", r.RuleID)
		}
		levels[r.RuleID] = r.Level
	}
	if levels["kill-signal-not-handled"] != "warning" || levels["helper-script-unreferenced"] != "note" {
		t.Errorf("levels = %v", levels)
	}
}
