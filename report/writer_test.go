package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestWriters protects the one Writer interface: every format NewWriter
// names writes the seed's document, with its own extension, and an
// unknown format is an error; the annotations are the findings after the
// change, as GitHub takes them.
func TestWriters(t *testing.T) {
	doc := loadDoc(t, "seed")
	exts := map[string]bool{}
	for _, f := range Formats {
		w, err := NewWriter(f, Options{Lang: "en", Now: testNow}, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var buf bytes.Buffer
		if err := w.Write(&buf, doc); err != nil || buf.Len() == 0 {
			t.Errorf("%s: %d bytes, %v", f, buf.Len(), err)
		}
		if !strings.HasPrefix(w.Ext(), ".") {
			t.Errorf("%s: extension %q", f, w.Ext())
		}
		exts[w.Ext()] = true
		if f == "annotations" {
			var anns []map[string]any
			if err := json.Unmarshal(buf.Bytes(), &anns); err != nil {
				t.Fatalf("annotations: %v", err)
			}
			if len(anns) != 3 || anns[0]["annotation_level"] != "notice" || anns[0]["start_line"] == nil {
				t.Errorf("annotations = %v, want the 3 unchanged findings as notices", anns)
			}
		}
	}
	if _, err := NewWriter("html", Options{}, nil); err == nil {
		t.Error("an unknown format gets a writer")
	}
}

// TestFileLinks protects file links: relative to the report's own
// directory in a file (docs/audits/ climbs two levels), absolute and
// pinned to the commit with a repository URL.
func TestFileLinks(t *testing.T) {
	doc := loadDoc(t, "seed")
	for _, tt := range []struct {
		opt  Options
		want string
	}{
		{Options{}, "](services/session-manager/ecosystem.config.js)"},
		{Options{Dir: "docs/audits"}, "](../../services/session-manager/ecosystem.config.js)"},
		{Options{RepoURL: "https://github.com/acme/shop/"}, "](https://github.com/acme/shop/blob/" + doc.Head.SHA + "/services/session-manager/ecosystem.config.js)"},
	} {
		tt.opt.Now = testNow
		if md := render(t, doc, tt.opt); !strings.Contains(md, tt.want) {
			t.Errorf("%+v: no link %q", tt.opt, tt.want)
		}
	}
}
