package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"
	"github.com/valyala/fastjson"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/message"
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
	// One HMAC state for every check, as the server's pool lends them:
	// each check must start from the keyed state, whatever came before.
	mac := hmac.New(sha256.New, []byte(v.Secret))
	if !verifySignature(mac, v.Header, []byte(v.Payload)) {
		t.Error("documented signature rejected")
	}
	if sign(v.Secret, []byte(v.Payload)) != v.Header {
		t.Error("test signer disagrees with the documented vector")
	}
	for _, bad := range []string{"", v.Header[7:], "sha256=" + strings.ToUpper(v.Header[7:]) + "00", strings.Replace(v.Header, "7", "8", 1),
		v.Header + "00", v.Header[:len(v.Header)-2]} {
		if verifySignature(mac, bad, []byte(v.Payload)) {
			t.Errorf("signature %q accepted", bad)
		}
	}
	if verifySignature(mac, v.Header, []byte(v.Payload+" ")) {
		t.Error("changed payload accepted")
	}
	if !verifySignature(mac, v.Header, []byte(v.Payload)) {
		t.Error("documented signature rejected after other checks")
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
	if got, err := fitMarkdown(short, 100, "es"); err != nil || got != short {
		t.Errorf("a report that fits was changed: %q", got)
	}
	long := "## r\n\n<details><summary>x</summary>\n\n```js\n" + strings.Repeat("// ñandú ñandú ñandú\n", 5000)
	for _, budget := range []int{1000, 4096, 65000} {
		got, err := fitMarkdown(long, budget, "en")
		if err != nil {
			t.Fatal(err)
		}
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

// TestConclusionAndLevels protects the check run's conclusion per verdict:
// an incomplete audit is action_required, never neutral, which branch
// protection counts as passing.
func TestConclusionAndLevels(t *testing.T) {
	for v, want := range map[string]string{"fail": "failure", "warn": "neutral", "incomplete": "action_required", "pass": "success", "none": "success"} {
		if got := conclusion(v); got != want {
			t.Errorf("conclusion(%q) = %q, want %q", v, got, want)
		}
	}
	doc := &audit.Document{Findings: []audit.Finding{
		{Severity: "error", Path: "a.js", Line: 3, Message: testMessage("e")},
		{Severity: "warning", Path: "a.js", Line: 0, Message: testMessage("w")},
		{Severity: "info", Path: "b.js", Line: 9, Message: testMessage("i")},
		{Severity: "error", Path: "a.js", Line: 5, State: audit.Fixed, Message: testMessage("fixed at base")},
	}}
	anns, err := annotations(doc, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(anns) != 3 {
		t.Fatalf("%d annotations, want 3 (fixed findings are at base)", len(anns))
	}
	want := []string{"failure", "warning", "notice"}
	for i, a := range anns {
		if a.GetAnnotationLevel() != want[i] || a.GetStartLine() < 1 || a.GetEndLine() != a.GetStartLine() {
			t.Errorf("annotation %d = %+v", i, a)
		}
	}
	if es, _ := annotations(doc, "es"); !strings.HasPrefix(es[0].GetMessage(), "La app «e»") {
		t.Error("Spanish message not used")
	}
}

// GitHub rejects an annotation whose message is over 64 KB or whose title
// is over 255 characters: both are cut, on a rune boundary (a title is a
// rule's, from the catalog, always shorter).
func TestAnnotationsFitGitHubLimits(t *testing.T) {
	long := strings.Repeat("ñ", 70_000)
	doc := &audit.Document{Findings: []audit.Finding{{
		Severity: "error", Path: "a.js", Line: 1, Message: testMessage(long),
	}}}
	anns, err := annotations(doc, "en")
	if err != nil {
		t.Fatal(err)
	}
	a := anns[0]
	if n := len(a.GetMessage()); n > githubapi.MaxAnnotationMessage || n < githubapi.MaxAnnotationMessage-1 {
		t.Errorf("message is %d bytes, want just under %d", n, githubapi.MaxAnnotationMessage)
	}
	if n := len(a.GetTitle()); n > githubapi.MaxAnnotationTitle || n == 0 {
		t.Errorf("title is %d bytes, want some, at most %d", n, githubapi.MaxAnnotationTitle)
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
			c.cfg.DataDir = t.TempDir()
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
		{"edited", `{"base":null}`, false},
		{"closed", "", false},
		{"labeled", "", false},
		{"converted_to_draft", "", false},
	}
	var p fastjson.Parser
	for _, c := range cases {
		body := editJSON(t, opened, map[string]string{"action": strconv.Quote(c.action), "changes": c.changes})
		f, err := decodeEvent(&p, "pull_request", body)
		if err != nil {
			t.Fatal(err)
		}
		j, why := jobFor("pull_request", f)
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
	f, err := decodeEvent(&p, "pull_request", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if j, why := jobFor("pull_request", f); j != nil || !why.bad {
		t.Errorf("bad repository name: job %+v", j)
	}
}

// editJSON sets (or, for "-", deletes) top-level and dotted keys of a JSON
// object; an empty value leaves the key alone.
func editJSON(t *testing.T, body []byte, edits map[string]string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for path, raw := range edits {
		if raw == "" {
			continue
		}
		keys := strings.Split(path, ".")
		obj := m
		for _, k := range keys[:len(keys)-1] {
			next, ok := obj[k].(map[string]any)
			if !ok {
				t.Fatalf("%s: %s is not an object", path, k)
			}
			obj = next
		}
		last := keys[len(keys)-1]
		if raw == "-" {
			delete(obj, last)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		obj[last] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// goGitHubJob is what the acknowledgement decided when it decoded
// go-github's full event types: the reference the few fields it reads now
// must agree with.
func goGitHubJob(t *testing.T, event string, body []byte) (*job, ignoreReason, error) {
	t.Helper()
	payload, err := github.ParseWebHook(event, body)
	if err != nil {
		return nil, ignoreReason{}, err
	}
	f := eventFields{}
	switch ev := payload.(type) {
	case *github.PullRequestEvent:
		pr := ev.GetPullRequest()
		f = eventFields{action: ev.GetAction(), fullName: ev.GetRepo().GetFullName(), installation: ev.GetInstallation().GetID(),
			number: pr.GetNumber(), head: pr.GetHead().GetSHA(), base: pr.GetBase().GetSHA(),
			baseChanged: ev.GetChanges().GetBase() != nil}
	case *github.IssueCommentEvent:
		f = eventFields{action: ev.GetAction(), fullName: ev.GetRepo().GetFullName(), installation: ev.GetInstallation().GetID(),
			number: ev.GetIssue().GetNumber(), onPullRequest: ev.GetIssue().IsPullRequest(),
			botComment: ev.GetComment().GetUser().GetType() == "Bot", command: isCommand(ev.GetComment().GetBody())}
	default:
		t.Fatalf("%s: %T", event, payload)
	}
	j, why := jobFor(event, f)
	return j, why, nil
}

// The acknowledgement decodes only the fields it needs: on GitHub's
// payloads and on variants of each field it reads, it must decide what
// decoding go-github's full event types decided (the same job, the same
// reason to ignore, a 400 for the same bodies).
func TestDecodeEventAgreesWithGoGitHub(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/github/webhooks/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	opened, comment := read("pull_request.opened.json"), read("issue_comment.created.json")
	type variant struct {
		name  string
		event string
		body  []byte
		bad   bool // both refuse the body (400)
	}
	cases := []variant{
		{"opened", "pull_request", opened, false},
		{"synchronize", "pull_request", read("pull_request.synchronize.json"), false},
		{"closed", "pull_request", read("pull_request.closed.json"), false},
		{"edited", "pull_request", read("pull_request.edited.json"), false},
		{"comment", "issue_comment", comment, false},
		{"comment on an issue", "issue_comment", read("issue_comment.created.on-plain-issue.json"), false},
	}
	pr := func(name string, edits map[string]string, bad bool) {
		cases = append(cases, variant{"pull_request " + name, "pull_request", editJSON(t, opened, edits), bad})
	}
	ic := func(name string, edits map[string]string, bad bool) {
		cases = append(cases, variant{"issue_comment " + name, "issue_comment", editJSON(t, comment, edits), bad})
	}
	pr("no repository", map[string]string{"repository": "-"}, false)
	pr("repository null", map[string]string{"repository": "null"}, false)
	pr("no full name", map[string]string{"repository.full_name": "-"}, false)
	pr("full name escapes", map[string]string{"repository.full_name": `"a/../../b"`}, false)
	pr("no installation", map[string]string{"installation": "-"}, false)
	pr("installation null", map[string]string{"installation": "null"}, false)
	pr("big installation id", map[string]string{"installation.id": "9007199254740993"}, false)
	pr("pull request null", map[string]string{"pull_request": "null"}, false)
	pr("no head sha", map[string]string{"pull_request.head.sha": "-"}, false)
	pr("head null", map[string]string{"pull_request.head": "null"}, false)
	pr("short head sha", map[string]string{"pull_request.head.sha": `"ec26c3e"`}, false)
	pr("number 0", map[string]string{"pull_request.number": "0"}, false)
	pr("number negative", map[string]string{"pull_request.number": "-3"}, false)
	pr("only the top-level number", map[string]string{"pull_request.number": "-", "number": "7"}, false)
	pr("escaped action", map[string]string{"action": `"synchronize"`}, false)
	pr("action null", map[string]string{"action": "null"}, false)
	pr("base change", map[string]string{"action": `"edited"`, "changes": `{"base":{"ref":{"from":"x"}}}`}, false)
	pr("action a number", map[string]string{"action": "5"}, true)
	pr("number a string", map[string]string{"pull_request.number": `"2"`}, true)
	pr("number a fraction", map[string]string{"pull_request.number": "2.5"}, true)
	pr("pull request an array", map[string]string{"pull_request": "[]"}, true)
	pr("head a string", map[string]string{"pull_request.head": `"x"`}, true)
	pr("sha a number", map[string]string{"pull_request.head.sha": "1"}, true)
	pr("base change a number", map[string]string{"action": `"edited"`, "changes": `{"base":5}`}, true)
	pr("installation id a string", map[string]string{"installation.id": `"1"`}, true)
	pr("full name an object", map[string]string{"repository.full_name": "{}"}, true)
	ic("edited", map[string]string{"action": `"edited"`}, false)
	ic("by a bot", map[string]string{"comment.user.type": `"Bot"`}, false)
	ic("not a command", map[string]string{"comment.body": `"please /auditbot"`}, false)
	ic("command with text", map[string]string{"comment.body": `"  /auditbot\r\nplease"`}, false)
	ic("no body", map[string]string{"comment.body": "-"}, false)
	ic("pull request links null", map[string]string{"issue.pull_request": "null"}, false)
	ic("no issue number", map[string]string{"issue.number": "-"}, false)
	ic("pull request links a string", map[string]string{"issue.pull_request": `"x"`}, true)
	ic("body a number", map[string]string{"comment.body": "1"}, true)
	ic("issue number a string", map[string]string{"issue.number": `"4"`}, true)
	for _, raw := range []string{``, `[]`, `"x"`, `{`, `{"action":"opened"} x`, `{"action":"open\qed"}`,
		"{\"action\":\"a\tb\"}", `{"number":01}`, `{"number":NaN}`, `{"a":[1,]}`} {
		cases = append(cases, variant{"not an object: " + raw, "pull_request", []byte(raw), true})
	}
	var p fastjson.Parser
	// The one body they treat differently: go-github took a JSON null for
	// an empty event (ignored, 202); it is no event (400).
	if _, err := decodeEvent(&p, "pull_request", []byte("null")); err == nil {
		t.Error("a null payload was taken for an event")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantJob, wantWhy, refErr := goGitHubJob(t, c.event, c.body)
			f, err := decodeEvent(&p, c.event, c.body)
			if (refErr != nil) != c.bad || (err != nil) != c.bad {
				t.Fatalf("go-github error %v, decodeEvent error %v; want errors: %v", refErr, err, c.bad)
			}
			if c.bad {
				return
			}
			j, why := jobFor(c.event, f)
			if why != wantWhy {
				t.Errorf("reason %+v, go-github's %+v", why, wantWhy)
			}
			if (j == nil) != (wantJob == nil) || (j != nil && *j != *wantJob) {
				t.Errorf("job %+v, go-github's %+v", j, wantJob)
			}
		})
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

// readBody reads into the lent buffer, with or without a Content-Length,
// and refuses a body over the cap.
func TestReadBody(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		length  int64 // the request's ContentLength; -1: unknown (chunked)
		limit   int64
		want    string
		tooBig  bool
		bufSize int
	}{
		{"known length", "hello", 5, 10, "hello", false, 0},
		{"known length, buffer large enough", "hello", 5, 10, "hello", false, 64},
		{"unknown length", strings.Repeat("x", 3000), -1, 4096, strings.Repeat("x", 3000), false, 0},
		{"unknown length, small buffer", strings.Repeat("y", 3000), -1, 4096, strings.Repeat("y", 3000), false, 7},
		{"empty", "", 0, 10, "", false, 0},
		{"unknown length over the cap", strings.Repeat("z", 100), -1, 50, "", true, 0},
		{"declared length over the cap", strings.Repeat("z", 100), 100, 50, "", true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(c.body))
			r.ContentLength = c.length
			buf := make([]byte, 0, c.bufSize)
			got, err := readBody(http.MaxBytesReader(httptest.NewRecorder(), r.Body, c.limit), r.ContentLength, &buf)
			var tooBig *http.MaxBytesError
			if c.tooBig {
				if !errors.As(err, &tooBig) {
					t.Fatalf("err = %v, want a MaxBytesError", err)
				}
				return
			}
			if err != nil || string(got) != c.want {
				t.Fatalf("got %d bytes, err %v; want %d bytes", len(got), err, len(c.want))
			}
			if cap(buf) < len(got) || (len(got) > 0 && &buf[:1][0] != &got[0]) {
				t.Error("the body was not read into the lent buffer")
			}
		})
	}
}

// A finding about a file the change deletes gets no annotation: the
// check run's head has no such file (GitHub refuses the annotation).
func TestNoAnnotationOnDeletedFile(t *testing.T) {
	doc := &audit.Document{
		Changed: []audit.ChangedFile{{Path: "svc/ecosystem.config.js", Status: "deleted"}},
		Findings: []audit.Finding{
			{Rule: "ecosystem-file-deleted", Severity: "warning", State: audit.Introduced, Path: "svc/ecosystem.config.js", Line: 1, Message: testMessage("gone")},
			{Rule: "x", Severity: "warning", State: audit.Introduced, Path: "other/ecosystem.config.js", Line: 2, Message: testMessage("w")},
		},
	}
	anns, err := annotations(doc, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range anns {
		if a.GetPath() == "svc/ecosystem.config.js" {
			t.Errorf("annotation on a deleted file: %+v", a)
		}
	}
}

// testMessage is a complete message of a finding on app, for documents
// the tests build by hand (listen-timeout-without-effect: few arguments).
func testMessage(app string) message.Message {
	return message.Message{ID: "listen-timeout-without-effect", Args: message.Args{
		"app": message.CodeOf(app), "value": message.CodeOf("5000")}}
}
