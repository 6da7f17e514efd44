package message

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestJSONRoundTrip protects the document's form of a message: every
// kind of value reads back as it was written, Infinity included (JSON has
// no such number), and an unknown kind is refused rather than guessed.
func TestJSONRoundTrip(t *testing.T) {
	m := Message{ID: "r", Args: Args{
		"t": TextOf("Unexpected token ,"), "c": CodeOf("npm start"), "o": OptionOf("wait_ready"),
		"n": CountOf(3), "ms": MillisOf(math.Inf(1)), "num": NumberOf(1.5), "at": At("src/a.js", 12),
		"b": BoolOf(true), "l": CodesOf([]string{"a", "b"}), "empty": ListOf(),
		"rows": ListOf(RecordOf(Args{"key": OptionOf("kill_timeout"), "this": CodeOf("1600")})),
	}}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"ms":{"kind":"ms","value":"Infinity"}`) || !strings.Contains(string(data), `"at":{"kind":"location","value":{"path":"src/a.js","line":12}}`) {
		t.Errorf("JSON form: %s", data)
	}
	var back Message
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(back)
	if err != nil || string(again) != string(data) {
		t.Errorf("round trip:\n%s\n%s (%v)", data, again, err)
	}
	if !back.Args["ms"].Equal(MillisOf(math.Inf(1))) || back.Args["at"].String() != "src/a.js:12" || back.Args["l"].String() != "a, b" {
		t.Errorf("read back: %v", back.Args)
	}
	var v Value
	if err := json.Unmarshal([]byte(`{"kind":"html","value":"<b>"}`), &v); err == nil {
		t.Error("a value of unknown kind was read")
	}
	if _, err := json.Marshal(Value{Kind: "html"}); err == nil {
		t.Error("a value of unknown kind was written")
	}
}
