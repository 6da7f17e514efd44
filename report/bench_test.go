package report

import (
	"io"
	"testing"
)

// BenchmarkMarkdownSeed measures one seed document, catalog and template
// parsing included.
func BenchmarkMarkdownSeed(b *testing.B) {
	doc := loadDoc(b, "seed")
	for i := 0; i < b.N; i++ {
		if err := Markdown(io.Discard, doc, Options{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarkdownLarge measures 300 apps and 600 findings within the
// GitHub comment limit.
func BenchmarkMarkdownLarge(b *testing.B) {
	doc := largeDoc(30, 10)
	for i := 0; i < b.N; i++ {
		if err := Markdown(io.Discard, doc, Options{Now: testNow, MaxBytes: 65536}); err != nil {
			b.Fatal(err)
		}
	}
}
