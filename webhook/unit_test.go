package webhook

import (
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

// The documented test vector of GitHub's "Validating webhook deliveries".
func TestSignatureTestVector(t *testing.T) {
	raw, err := os.ReadFile("testdata/github/signature-test-vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Secret, Payload string
		Header          string `json:"X-Hub-Signature-256"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if !verifySignature([]byte(v.Secret), v.Header, []byte(v.Payload)) {
		t.Error("documented signature rejected")
	}
	if sign(v.Secret, []byte(v.Payload)) != v.Header {
		t.Error("test signer disagrees with the documented vector")
	}
	for _, bad := range []string{"", v.Header[7:], "sha256=" + strings.ToUpper(v.Header[7:]) + "00", strings.Replace(v.Header, "7", "8", 1)} {
		if verifySignature([]byte(v.Secret), bad, []byte(v.Payload)) {
			t.Errorf("signature %q accepted", bad)
		}
	}
	if verifySignature([]byte(v.Secret), v.Header, []byte(v.Payload+" ")) {
		t.Error("changed payload accepted")
	}
}

func TestIsCommand(t *testing.T) {
	for body, want := range map[string]bool{
		"/auditbot":             true,
		"  /auditbot\r\nplease": true,
		"/auditbot run":         true,
		"/auditbotx":            false,
		"please /auditbot":      false,
		"/review":               false,
		"":                      false,
	} {
		if got := isCommand(body); got != want {
			t.Errorf("isCommand(%q) = %v", body, got)
		}
	}
}

func TestFitMarkdown(t *testing.T) {
	short := "## ok\n"
	if got := fitMarkdown(short, 100, "es"); got != short {
		t.Errorf("a report that fits was changed: %q", got)
	}
	long := "## r\n\n<details><summary>x</summary>\n\n```js\n" + strings.Repeat("// ñandú ñandú ñandú\n", 5000)
	for _, budget := range []int{1000, 4096, 65000} {
		got := fitMarkdown(long, budget, "en")
		if len(got) > budget || !utf8.ValidString(got) {
			t.Errorf("budget %d: %d bytes, valid UTF-8 %v", budget, len(got), utf8.ValidString(got))
		}
		if strings.Count(got, "```")%2 != 0 || strings.Count(got, "<details>") != strings.Count(got, "</details>") {
			t.Errorf("budget %d: a block is left open", budget)
		}
		if !strings.Contains(got, "was cut here") {
			t.Errorf("budget %d: no note", budget)
		}
	}
}

func TestConclusionAndLevels(t *testing.T) {
	for v, want := range map[string]string{"fail": "failure", "warn": "neutral", "incomplete": "neutral", "pass": "success", "none": "success"} {
		if got := conclusion(v); got != want {
			t.Errorf("conclusion(%q) = %q, want %q", v, got, want)
		}
	}
	doc := &audit.Document{Findings: []audit.Finding{
		{Severity: "error", Path: "a.js", Line: 3, MessageEN: "e", MessageES: "es-e"},
		{Severity: "warning", Path: "a.js", Line: 0, MessageEN: "w"},
		{Severity: "info", Path: "b.js", Line: 9, MessageEN: "i"},
		{Severity: "error", Path: "a.js", Line: 5, State: audit.Fixed, MessageEN: "fixed at base"},
	}}
	anns := annotations(doc, "en")
	if len(anns) != 3 {
		t.Fatalf("%d annotations, want 3 (fixed findings are at base)", len(anns))
	}
	want := []string{"failure", "warning", "notice"}
	for i, a := range anns {
		if a.GetAnnotationLevel() != want[i] || a.GetStartLine() < 1 || a.GetEndLine() != a.GetStartLine() {
			t.Errorf("annotation %d = %+v", i, a)
		}
	}
	if annotations(doc, "es")[0].GetMessage() != "es-e" {
		t.Error("Spanish message not used")
	}
}

// GitHub rejects an annotation whose message is over 64 KB or whose title
// is over 255 characters: both are cut, on a rune boundary.
func TestAnnotationsFitGitHubLimits(t *testing.T) {
	long := strings.Repeat("ñ", 70_000)
	doc := &audit.Document{Findings: []audit.Finding{{
		Severity: "error", Path: "a.js", Line: 1, MessageEN: long,
		Title: audit.Text{EN: strings.Repeat("é", 200)},
	}}}
	a := annotations(doc, "en")[0]
	if n := len(a.GetMessage()); n > githubapi.MaxAnnotationMessage || n < githubapi.MaxAnnotationMessage-1 {
		t.Errorf("message is %d bytes, want just under %d", n, githubapi.MaxAnnotationMessage)
	}
	if n := len(a.GetTitle()); n > githubapi.MaxAnnotationTitle || n < githubapi.MaxAnnotationTitle-1 {
		t.Errorf("title is %d bytes, want just under %d", n, githubapi.MaxAnnotationTitle)
	}
	if !utf8.ValidString(a.GetMessage()) || !utf8.ValidString(a.GetTitle()) {
		t.Error("a cut split a character")
	}
}

func TestNewServerValidatesTheConfiguration(t *testing.T) {
	key := testKey(t)
	deps := Deps{Auditor: &fakeAuditor{}, Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}
	cases := []struct {
		name string
		cfg  Config
		deps Deps
		ok   bool
	}{
		{"no secret", Config{Token: "t"}, deps, false},
		{"no credentials", Config{WebhookSecret: "s"}, deps, false},
		{"app and token", Config{WebhookSecret: "s", Token: "t", AppID: 1, PrivateKey: key}, deps, false},
		{"app without key", Config{WebhookSecret: "s", AppID: 1}, deps, false},
		{"key without app", Config{WebhookSecret: "s", PrivateKey: key}, deps, false},
		{"bad key", Config{WebhookSecret: "s", AppID: 1, PrivateKey: []byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")}, deps, false},
		{"bad language", Config{WebhookSecret: "s", Token: "t", Lang: "fr"}, deps, false},
		{"bad base URL", Config{WebhookSecret: "s", Token: "t", BaseURL: "ftp://x"}, deps, false},
		{"no auditor", Config{WebhookSecret: "s", Token: "t"}, Deps{Renderer: fakeRenderer{}, Fetcher: goGitFetcher{}}, false},
		{"token mode", Config{WebhookSecret: "s", Token: "t"}, deps, true},
		{"app mode on GHE", Config{WebhookSecret: "s", AppID: 1, PrivateKey: key, BaseURL: "https://ghe.example/api/v3/", Lang: "en"}, deps, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs syncBuffer
			s, err := NewServer(c.cfg, c.deps, slog.New(slog.NewTextHandler(&logs, nil)))
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
			if err != nil {
				if strings.Contains(err.Error(), "AAAA") || strings.Contains(err.Error(), string(key[40:80])) {
					t.Errorf("error quotes the key: %v", err)
				}
				return
			}
			if err := s.Shutdown(t.Context()); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestJobForPullRequestActions(t *testing.T) {
	opened, err := os.ReadFile("testdata/github/webhooks/pull_request.opened.json")
	if err != nil {
		t.Fatal(err)
	}
	withAction := func(action, changes string) []byte {
		var m map[string]any
		if err := json.Unmarshal(opened, &m); err != nil {
			t.Fatal(err)
		}
		m["action"] = action
		if changes != "" {
			var c any
			if err := json.Unmarshal([]byte(changes), &c); err != nil {
				t.Fatal(err)
			}
			m["changes"] = c
		}
		b, _ := json.Marshal(m)
		return b
	}
	cases := []struct {
		action, changes string
		want            bool
	}{
		{"opened", "", true},
		{"synchronize", "", true},
		{"reopened", "", true},
		{"ready_for_review", "", true},
		{"edited", `{"base":{"ref":{"from":"develop"},"sha":{"from":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e"}}}`, true},
		{"edited", `{"title":{"from":"old"}}`, false},
		{"closed", "", false},
		{"labeled", "", false},
		{"converted_to_draft", "", false},
	}
	for _, c := range cases {
		payload, err := github.ParseWebHook("pull_request", withAction(c.action, c.changes))
		if err != nil {
			t.Fatal(err)
		}
		j, why := jobFor(payload)
		if (j != nil) != c.want {
			t.Errorf("%s %s: job %v (%s), want %v", c.action, c.changes, j != nil, why.msg, c.want)
			continue
		}
		if j != nil && (j.owner != "Codertocat" || j.repo != "Hello-World" || j.number != 2 || j.installation != 1 ||
			j.head != "ec26c3e57ca3a959ca5aad62de7213c562f8c821" || j.base != "f95f852bd8fca8fcc58a9a2d6c842781e32a215e") {
			t.Errorf("%s: job %+v", c.action, j)
		}
	}
	// A repository name that would escape the API path is refused.
	bad := strings.ReplaceAll(string(opened), `"full_name": "Codertocat/Hello-World"`, `"full_name": "Codertocat/../../x"`)
	payload, err := github.ParseWebHook("pull_request", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if j, why := jobFor(payload); j != nil || !why.bad {
		t.Errorf("bad repository name: job %+v", j)
	}
}

// The local command in the comment must be one `go run` accepts: a
// development build's "dev-<commit>" is not a module version, its commit
// is.
func TestModuleQuery(t *testing.T) {
	t.Parallel()
	cases := []struct{ version, want string }{
		{"v1.2.3", "v1.2.3"},
		{"v0.0.0-20260301120000-abcdef123456", "v0.0.0-20260301120000-abcdef123456"},
		{"dev-0123456789ab", "0123456789ab"},
		{"dev-nothex", "latest"},
		{"dev-", "latest"},
		{"dev", "latest"},
		{"", "latest"},
		{"v1 `rm`", "latest"},
	}
	for _, c := range cases {
		if got := moduleQuery(c.version); got != c.want {
			t.Errorf("moduleQuery(%q) = %q, want %q", c.version, got, c.want)
		}
	}
}
