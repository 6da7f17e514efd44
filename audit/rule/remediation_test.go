package rule

import (
	"strings"
	"testing"
)

// TestRemediationNamesTheRealListenCall protects the handshake snippet of
// wait-ready-without-handshake: it shows the app's own listen call
// (server.listen when the code calls server.listen), and the generic
// app.listen only when the code's call is unknown (docs, `auditbot rules`).
func TestRemediationNamesTheRealListenCall(t *testing.T) {
	for _, lang := range []string{"es", "en"} {
		f := &Finding{Rule: "wait-ready-without-handshake", Args: map[string]any{"listen_call": "server.listen"}}
		got, err := Remediation(lang, f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, "server.listen(PORT, () => {\n  if (process.send) process.send('ready');") || strings.Contains(got, "app.listen") {
			t.Errorf("%s: remediation for server.listen:\n%s", lang, got)
		}
		generic, err := Texts(lang, "wait-ready-without-handshake")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(generic.Remediation, "const server = app.listen(PORT, () => {") || strings.Contains(generic.Remediation, "<no value>") {
			t.Errorf("%s: generic remediation:\n%s", lang, generic.Remediation)
		}
	}
	for text, want := range map[string]string{
		"server.listen(process.env.PORT);":        "server.listen",
		"const server = app.listen(PORT, () => {": "app.listen",
		"this.http.listen (8080)":                 "this.http.listen",
		"listen(3000)":                            "",
	} {
		if got := listenCallRe.FindStringSubmatch(text); (got == nil && want != "") || (got != nil && got[1]+".listen" != want) {
			t.Errorf("listen call of %q = %v, want %q", text, got, want)
		}
	}
}
