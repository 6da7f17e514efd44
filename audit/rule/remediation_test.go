package rule

import (
	"testing"
)

// TestListenCall protects what the remediation of
// wait-ready-without-handshake shows (its listen_call argument): the
// app's own listen call, server.listen when the code calls server.listen.
func TestListenCall(t *testing.T) {
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
