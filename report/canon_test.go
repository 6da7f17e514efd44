package report

import (
	"context"
	"slices"
	"testing"

	"github.com/auditbot/auditbot/audit/ecosystem"
)

// TestCanonicalConfigIsValidJS protects section 4: the synthesized
// configuration must be a file PM2 could load (valid CommonJS that the
// engine's own parser reads) with the same apps and options, in the same
// order, as the document's head.
func TestCanonicalConfigIsValidJS(t *testing.T) {
	checked := 0
	defer func() {
		if checked == 0 {
			t.Error("no golden case has a synthesized configuration: the test checked nothing")
		}
	}()
	for _, c := range goldenCases {
		t.Run(c, func(t *testing.T) {
			doc := loadDoc(t, c)
			cat, err := loadCatalog("es")
			if err != nil {
				t.Fatal(err)
			}
			v, err := buildView(doc, Options{Lang: "es", Now: testNow}, cat, stepLimits(-1))
			if err != nil {
				t.Fatal(err)
			}
			for _, cf := range v.Canon {
				if cf.Broken {
					continue
				}
				f, err := ecosystem.Parse(context.Background(), "ecosystem.config.js", []byte(cf.Code))
				if err != nil {
					t.Fatalf("%s: synthesized config does not parse: %v\n%s", cf.Path, err, cf.Code)
				}
				var want [][]string
				for i := range doc.Ecosystems {
					if e := doc.Ecosystems[i]; e.Path == cf.Path && e.Head != nil {
						for _, a := range e.Head.Apps {
							keys := []string{a.Name}
							for _, o := range a.Options {
								keys = append(keys, o.Key)
							}
							want = append(want, keys)
						}
					}
				}
				var got [][]string
				for _, a := range f.Apps {
					keys := []string{a.Name}
					for _, fl := range a.Fields {
						keys = append(keys, fl.Key)
					}
					got = append(got, keys)
				}
				for _, k := range append(got, want...) {
					slices.Sort(k[1:])
				}
				if !slices.EqualFunc(got, want, slices.Equal) {
					t.Errorf("%s: synthesized apps/options %v, want %v\n%s", cf.Path, got, want, cf.Code)
				}
				checked++
			}
		})
	}
}
