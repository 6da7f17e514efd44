package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/demo"
	"github.com/auditbot/auditbot/audit/rule"
	"github.com/auditbot/auditbot/report"
)

// result is what one in-process run of the command line gave.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line in-process, in dir (the process's working
// directory is not touched: every test passes --repo).
func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// demoRepo builds the built-in example in a temporary directory: HEAD~1 is
// the base, HEAD removes wait_ready and listen_timeout.
func demoRepo(t *testing.T) (string, *git.Repository) {
	t.Helper()
	dir := t.TempDir()
	repo, err := demo.Build(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, repo
}

// revSHA resolves a revision of repo to its full SHA.
func revSHA(t *testing.T, repo *git.Repository, rev string) string {
	t.Helper()
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// rootRepo makes a repository of one commit (a root commit) holding an
// ecosystem file whose app waits for a ready message the code never sends.
func rootRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"ecosystem.config.js": "module.exports = {\n  apps: [{\n    name: 'api',\n    script: 'server.js',\n    wait_ready: true,\n  }],\n};\n",
		"server.js":           "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	if _, err := wt.Commit("first", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// decodeDoc parses the JSON document of a run.
func decodeDoc(t *testing.T, s string) audit.Document {
	t.Helper()
	var doc audit.Document
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("output is not the JSON document: %v\n%s", err, s)
	}
	return doc
}

// wantUsageError checks the error contract: exit status 2, nothing on stdout, one
// English line on stderr naming the problem.
func wantUsageError(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != exitError {
		t.Errorf("exit status %d, want %d (stderr %q)", r.code, exitError, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout should be empty on error, got %q", r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.HasPrefix(r.stderr, "auditbot: ") {
		t.Errorf("stderr should be one line \"auditbot: ...\", got %q", r.stderr)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not say %q", r.stderr, want)
	}
	if regexp.MustCompile(`[áéíóúñ¿«]`).MatchString(r.stderr) {
		t.Errorf("stderr is not English: %q", r.stderr)
	}
}

// TestExitStatusByFailOn protects the exit status contract: the demo
// leaves warnings and infos at head and fixes its errors, so it fails
// from --fail-on warning down and passes at error and never.
func TestExitStatusByFailOn(t *testing.T) {
	dir, _ := demoRepo(t)
	for _, tc := range []struct {
		failOn string
		want   int
	}{
		{"", exitOK}, // default: error
		{"error", exitOK},
		{"warning", exitFindings},
		{"info", exitFindings},
		{"never", exitOK},
	} {
		t.Run("fail-on="+tc.failOn, func(t *testing.T) {
			args := []string{"report", "--repo", dir, "--format", "text"}
			if tc.failOn != "" {
				args = append(args, "--fail-on", tc.failOn)
			}
			r := runCLI(t, args...)
			if r.code != tc.want {
				t.Errorf("exit status %d, want %d; stderr %q", r.code, tc.want, r.stderr)
			}
			if r.stderr != "" {
				t.Errorf("stderr should be empty when the audit ran, got %q", r.stderr)
			}
			if !strings.Contains(r.stdout, "[twin-config-drift]") {
				t.Errorf("the report should still be written, got %q", r.stdout)
			}
		})
	}
}

// TestBadInput protects the error contract for every way the command
// cannot run: exit status 2 and one clear English line.
func TestBadInput(t *testing.T) {
	dir, _ := demoRepo(t)
	notRepo := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"not a repository", []string{"report", "--repo", notRepo}, "not a git repository"},
		{"missing directory", []string{"report", "--repo", filepath.Join(notRepo, "nope")}, "not a git repository"},
		{"unknown revision", []string{"report", "--repo", dir, "nope"}, `unknown revision "nope"`},
		{"unknown revision in range", []string{"report", "--repo", dir, "HEAD~5..HEAD"}, `unknown revision "HEAD~5"`},
		{"malformed range", []string{"report", "--repo", dir, "HEAD~1..HEAD..main"}, `malformed range "HEAD~1..HEAD..main"`},
		{"malformed range four dots", []string{"report", "--repo", dir, "HEAD~1....HEAD"}, `malformed range`},
		{"two ranges", []string{"report", "--repo", dir, "HEAD~1", "HEAD"}, "accepts at most 1 arg"},
		{"bad format", []string{"report", "--repo", dir, "--format", "html"}, `unknown --format "html"`},
		{"bad lang", []string{"report", "--repo", dir, "--lang", "fr"}, `unknown --lang "fr"`},
		{"bad fail-on", []string{"report", "--repo", dir, "--fail-on", "critical"}, `unknown --fail-on "critical"`},
		{"bad date", []string{"report", "--repo", dir, "--date", "25/02/2026"}, `bad --date "25/02/2026"`},
		{"impossible date", []string{"report", "--repo", dir, "--date", "2026-13-01"}, `bad --date "2026-13-01"`},
		{"unknown flag", []string{"report", "--repo", dir, "--bogus"}, "unknown flag: --bogus"},
		{"unknown flag of demo", []string{"demo", "--colour"}, "unknown flag: --colour"},
		{"bad demo format", []string{"demo", "--format", "xml"}, `unknown --format "xml"`},
		{"unknown command", []string{"raport"}, `unknown command "raport"`},
		{"unknown rule", []string{"rules", "nope"}, `unknown rule "nope"`},
		{"bad rules lang", []string{"rules", "--lang", "de"}, `unknown --lang "de"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantUsageError(t, runCLI(t, tc.args...), tc.want)
		})
	}
}

// emptyTree is git's empty tree, the base of a root commit.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// TestRanges protects the RANGE forms: each resolves to the base and head
// a person would expect, whatever directory of the work tree --repo names.
func TestRanges(t *testing.T) {
	dir, repo := demoRepo(t)
	head, base := revSHA(t, repo, "HEAD"), revSHA(t, repo, "HEAD~1")
	root := rootRepo(t)
	for _, tc := range []struct {
		name      string
		repo      string
		args      []string
		base      string
		head      string
		impact    bool
		wantRules []string
	}{
		{"default range", dir, nil, base, head, true, []string{"wait-ready-without-handshake"}},
		{"A..B", dir, []string{"HEAD~1..HEAD"}, base, head, true, nil},
		{"single revision", dir, []string{"HEAD"}, base, head, true, nil},
		{"short SHA", dir, []string{head[:7]}, base, head, true, nil},
		{"branch", dir, []string{"main"}, base, head, true, nil},
		{"A...B from the merge base", dir, []string{"HEAD~1...main"}, base, head, true, nil},
		{"B...A has no change", dir, []string{"HEAD...HEAD~1"}, base, base, false, nil},
		{"subdirectory as --repo", filepath.Join(dir, "services", "session-manager"), []string{"HEAD~1..HEAD"}, base, head, true, nil},
		{"root commit against the empty tree", root, []string{"HEAD"}, emptyTree, "", true, []string{"wait-ready-without-handshake"}},
		{"root commit by default", root, nil, emptyTree, "", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"report", "--repo", tc.repo, "--format", "json", "--fail-on", "never"}, tc.args...)
			r := runCLI(t, args...)
			if r.code != exitOK {
				t.Fatalf("exit status %d: %s", r.code, r.stderr)
			}
			doc := decodeDoc(t, r.stdout)
			if tc.head != "" && doc.Head.SHA != tc.head {
				t.Errorf("head %s, want %s", doc.Head.SHA, tc.head)
			}
			if doc.Base.SHA != tc.base {
				t.Errorf("base %s, want %s", doc.Base.SHA, tc.base)
			}
			if doc.Impact != tc.impact {
				t.Errorf("impact %v, want %v", doc.Impact, tc.impact)
			}
			for _, want := range tc.wantRules {
				found := false
				for _, f := range doc.Findings {
					found = found || f.Rule == want
				}
				if !found {
					t.Errorf("no %s finding in %+v", want, doc.Findings)
				}
			}
		})
	}
}

// TestFormats protects each output format: JSON is the engine's document,
// SARIF is well-formed 2.1.0 with a location per result, text is one
// "path:line: severity: message [rule]" line per finding plus a summary,
// and Markdown speaks the language asked for.
func TestFormats(t *testing.T) {
	dir, repo := demoRepo(t)
	head := revSHA(t, repo, "HEAD")
	textLine := regexp.MustCompile(`^[^\s:]+:\d+: (error|warning|info): .+ \[[a-z0-9-]+\]$`)
	for _, tc := range []struct {
		name  string
		args  []string
		check func(t *testing.T, out string)
	}{
		{"json", []string{"--format", "json"}, func(t *testing.T, out string) {
			doc := decodeDoc(t, out)
			if doc.Head.SHA != head || len(doc.Findings) == 0 || doc.Summary.Fixed != 2 {
				t.Errorf("unexpected document: head %s, %d findings, summary %+v", doc.Head.SHA, len(doc.Findings), doc.Summary)
			}
		}},
		{"sarif", []string{"--format", "sarif"}, func(t *testing.T, out string) {
			var s struct {
				Version string `json:"version"`
				Runs    []struct {
					Tool struct {
						Driver struct {
							Rules []struct {
								ID string `json:"id"`
							} `json:"rules"`
						} `json:"driver"`
					} `json:"tool"`
					Results []struct {
						RuleID    string `json:"ruleId"`
						Locations []struct {
							Physical struct {
								Artifact struct {
									URI string `json:"uri"`
								} `json:"artifactLocation"`
								Region struct {
									StartLine int `json:"startLine"`
								} `json:"region"`
							} `json:"physicalLocation"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatalf("SARIF is not JSON: %v", err)
			}
			if s.Version != "2.1.0" || len(s.Runs) != 1 {
				t.Fatalf("version %q, %d runs", s.Version, len(s.Runs))
			}
			if got, want := len(s.Runs[0].Tool.Driver.Rules), len(rule.All()); got != want {
				t.Errorf("%d SARIF rules, want one per registry rule (%d)", got, want)
			}
			if len(s.Runs[0].Results) == 0 {
				t.Fatal("no results")
			}
			for _, res := range s.Runs[0].Results {
				if res.RuleID == "" || len(res.Locations) == 0 || res.Locations[0].Physical.Artifact.URI == "" || res.Locations[0].Physical.Region.StartLine < 1 {
					t.Errorf("result without rule or path:line: %+v", res)
				}
			}
		}},
		{"text", []string{"--format", "text"}, func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) < 2 {
				t.Fatalf("too few lines: %q", out)
			}
			for _, l := range lines[:len(lines)-1] {
				if !textLine.MatchString(l) {
					t.Errorf("not a path:line: severity: message [rule] line: %q", l)
				}
			}
			if !strings.Contains(lines[len(lines)-1], "corregidos 2") {
				t.Errorf("last line should be the Spanish summary, got %q", lines[len(lines)-1])
			}
		}},
		{"markdown es by default", nil, func(t *testing.T, out string) {
			for _, want := range []string{"# Canonización de configuración PM2", "<details><summary>2. Auditoría ejecutada</summary>", "❌ NO existe `process.send('ready')`"} {
				if !strings.Contains(out, want) {
					t.Errorf("Spanish report lacks %q", want)
				}
			}
		}},
		{"markdown en", []string{"--lang", "en"}, func(t *testing.T, out string) {
			for _, want := range []string{"<details><summary>2. Audit performed</summary>", "**Date:** 2026-02-25"} {
				if !strings.Contains(out, want) {
					t.Errorf("English report lacks %q", want)
				}
			}
			if m := regexp.MustCompile(`[áéíóúñ¿¡]|\b(ningún|también|archivo|línea|Sin cambios)\b`).FindString(out); m != "" {
				t.Errorf("English report has Spanish left: %q", m)
			}
		}},
		{"text en", []string{"--format", "text", "--lang", "en"}, func(t *testing.T, out string) {
			if !strings.Contains(out, "fixed 2") || strings.Contains(out, "La app") {
				t.Errorf("English text format expected, got %q", out)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"report", "--repo", dir, "--date", "2026-02-25", "--fail-on", "never"}, tc.args...)
			r := runCLI(t, args...)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit status %d, stderr %q", r.code, r.stderr)
			}
			tc.check(t, r.stdout)
		})
	}
}

// TestOutputFile protects --output: a directory gets the dated release
// file name, printed on stdout; an existing file is never overwritten
// without --force, and is with it.
func TestOutputFile(t *testing.T) {
	dir, _ := demoRepo(t)
	out := t.TempDir()
	const name = "PM2-SESSION-MANAGER-ELIMINACION-WAIT-READY-2026-02-25.md"
	base := []string{"report", "--repo", dir, "--date", "2026-02-25"}

	t.Run("directory gets a dated name", func(t *testing.T) {
		r := runCLI(t, append(base, "--output", out+string(os.PathSeparator))...)
		want := filepath.Join(out, name)
		if r.code != exitOK || strings.TrimSpace(r.stdout) != want {
			t.Fatalf("exit %d, stdout %q, want the path %q; stderr %q", r.code, r.stdout, want, r.stderr)
		}
		data, err := os.ReadFile(want)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "# Canonización de configuración PM2: session-manager") {
			t.Errorf("file does not hold the report: %.80q", data)
		}
	})
	t.Run("existing file is kept without --force", func(t *testing.T) {
		path := filepath.Join(out, name)
		if err := os.WriteFile(path, []byte("hand-edited\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, append(base, "-o", out)...)
		wantUsageError(t, r, "already exists (use --force to overwrite)")
		if data, _ := os.ReadFile(path); string(data) != "hand-edited\n" {
			t.Errorf("file changed without --force: %.80q", data)
		}
		r = runCLI(t, append(base, "-o", path)...)
		wantUsageError(t, r, "already exists")
	})
	t.Run("--force overwrites", func(t *testing.T) {
		path := filepath.Join(out, name)
		r := runCLI(t, append(base, "-o", path, "--force", "--lang", "en")...)
		if r.code != exitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		data, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(data), "# PM2 configuration canonization") {
			t.Errorf("file not overwritten with the English report: %.80q", data)
		}
	})
	t.Run("json in a directory", func(t *testing.T) {
		r := runCLI(t, append(base, "--format", "json", "-o", out)...)
		want := filepath.Join(out, strings.TrimSuffix(name, ".md")+".json")
		if r.code != exitOK || strings.TrimSpace(r.stdout) != want {
			t.Fatalf("exit %d, stdout %q, want %q", r.code, r.stdout, want)
		}
		data, _ := os.ReadFile(want)
		decodeDoc(t, string(data))
	})
}

// TestDemo protects the README's first command in each format.
func TestDemo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "# Canonización de configuración PM2: session-manager"},
		{[]string{"--lang", "en"}, "# PM2 configuration canonization: session-manager"},
		{[]string{"--format", "json"}, `"id": "wait-ready-without-handshake"`},
		{[]string{"--format", "json"}, `"text": "La app «session-manager»`},
		{[]string{"--format", "json", "--lang", "en"}, `"text": "App «session-manager»`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCLI(t, append([]string{"demo", "--date", "2026-02-25"}, tc.args...)...)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.want) {
				t.Errorf("demo output lacks %q:\n%.300s", tc.want, r.stdout)
			}
		})
	}
}

// TestRules protects the rules command: the list names every registered
// rule, one explains itself in Spanish by default and in English on
// request.
func TestRules(t *testing.T) {
	r := runCLI(t, "rules")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(rule.All()) {
		t.Errorf("%d lines, want one per rule (%d)", len(lines), len(rule.All()))
	}
	for _, ru := range rule.All() {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(ru.Meta().ID) + `\s+` + string(ru.Meta().Severity) + `\s`).MatchString(r.stdout) {
			t.Errorf("rules does not list %s with its severity", ru.Meta().ID)
		}
	}
	const id = "wait-ready-without-handshake"
	for _, tc := range []struct {
		lang  string
		args  []string
		wants []string
	}{
		{"es", nil, []string{"Severidad: error", "Corrección:", "Comportamiento de PM2: docs/pm2-behaviour.md#wait-ready-message"}},
		{"en", []string{"--lang", "en"}, []string{"Severity: error", "Remediation:", "PM2 behaviour: docs/pm2-behaviour.md#wait-ready-message"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := runCLI(t, append([]string{"rules", id}, tc.args...)...)
			if r.code != exitOK {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			txt, err := report.RuleTexts(tc.lang, id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.stdout, id+" — "+txt.Title+"\n") {
				t.Errorf("first line should be the id and the %s title, got %.100q", tc.lang, r.stdout)
			}
			for _, w := range tc.wants {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("explanation lacks %q", w)
				}
			}
		})
	}
}

// Secrets given through the environment become the flags' values but are
// never printed as defaults by `serve --help`; other settings are.
func TestServeHelpHidesSecretsFromTheEnvironment(t *testing.T) {
	t.Setenv("AUDITBOT_WEBHOOK_SECRET", "whsec-5f3a9c")
	t.Setenv("AUDITBOT_GITHUB_TOKEN", "ghs_tok3n9d1e")
	t.Setenv("AUDITBOT_DATABASE_URL", "postgres://auditbot:pgpa55word@db/auditbot")
	t.Setenv("AUDITBOT_ADDR", "127.0.0.1:9911")
	r := runCLI(t, "serve", "--help")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, secret := range []string{"whsec-5f3a9c", "ghs_tok3n9d1e", "pgpa55word"} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("serve --help shows the secret %q", secret)
		}
	}
	if !strings.Contains(r.stdout, `(default "127.0.0.1:9911")`) {
		t.Errorf("serve --help does not show AUDITBOT_ADDR as the default:\n%s", r.stdout)
	}
}

// A blank or whitespace webhook secret would let anyone who guesses it
// (everyone) trigger audits: serve refuses to start, with a clear message
// and exit status 2, before it creates anything.
func TestServeRefusesBlankWebhookSecret(t *testing.T) {
	for _, secret := range []string{"", "   ", "\t\n"} {
		dir := filepath.Join(t.TempDir(), "data")
		r := runCLI(t, "serve", "--webhook-secret", secret, "--github-token", "ghs_x", "--data-dir", dir, "--addr", "127.0.0.1:0")
		if r.code != exitError {
			t.Errorf("secret %q: exit %d, want %d", secret, r.code, exitError)
		}
		if !strings.Contains(r.stderr, "webhook secret") {
			t.Errorf("secret %q: message %q does not name the webhook secret", secret, r.stderr)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("secret %q: the data directory was created before refusing", secret)
		}
	}
}
