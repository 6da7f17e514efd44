package audit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/message"
	"github.com/auditbot/auditbot/audit/secret"
)

// TestMaskArgs protects the document from secrets in typed arguments: an
// argument named like a secret is masked whatever it holds, a token or an
// assignment in a command is masked inside any text, code or location,
// in lists and in table rows too; counts and conditions stay.
func TestMaskArgs(t *testing.T) {
	const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
	got := maskArgs(message.Args{
		"DB_PASSWORD": message.CodeOf("hunter2"),
		"command":     message.CodeOf("MYSQL_PW=hunter2 pm2 start ecosystem.config.js"),
		"error":       message.TextOf("bad token " + token),
		"at":          message.At("src/"+token+".js", 3),
		"apps":        message.CodesOf([]string{"api", token}),
		"diffs":       message.ListOf(message.RecordOf(message.Args{"key": message.OptionOf("env"), "API_SECRET": message.CodeOf("s3cr3t-value")})),
		"count":       message.CountOf(2),
		"set":         message.BoolOf(true),
	})
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"hunter2", token, "s3cr3t-value"} {
		if strings.Contains(string(data), leak) {
			t.Errorf("%q reached the document: %s", leak, data)
		}
	}
	if got["DB_PASSWORD"].Str != secret.Mask || got["apps"].Items[0].Str != "api" ||
		!got["count"].Equal(message.CountOf(2)) || !got["set"].Equal(message.BoolOf(true)) {
		t.Errorf("masked too much or too little: %s", data)
	}
}
