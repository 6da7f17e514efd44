package change

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

const benchFiles = 4000

// benchRepo: a packed repository of benchFiles JavaScript files in 80
// directories, and a second commit that edits 20 of them, renames 5 and
// adds 5.
func benchRepo(b *testing.B) (*git.Repository, Range, []string) {
	b.Helper()
	f := changetest.NewDiskFixture(b)
	body := func(i, rev int) string {
		return fmt.Sprintf("// file %d\nconst x = require('./x');\n", i) + strings.Repeat("function f() { return 1; }\n", 30) +
			fmt.Sprintf("module.exports = %d;\n", rev)
	}
	one, two := changetest.Tree{}, changetest.Tree{}
	var paths []string
	for i := range benchFiles {
		p := fmt.Sprintf("services/s%d/src/f%d.js", i%80, i)
		paths = append(paths, p)
		one[p] = changetest.Text(body(i, 1))
		two[p] = changetest.Text(body(i, 1))
	}
	for i := range 20 {
		two[paths[i*100]] = changetest.Text(body(i*100, 2))
	}
	for i := range 5 {
		p := paths[i*100+1]
		two["moved/"+p] = two[p]
		delete(two, p)
		two[fmt.Sprintf("added/n%d.js", i)] = changetest.Text(body(i, 3))
	}
	c1 := f.Commit("one", one)
	c2 := f.Commit("two", two, c1)
	f.Ref("refs/heads/master", c2)
	f.Pack()
	repo := openRepo(b, f)
	r, err := Resolve(b.Context(), repo, "HEAD~1..HEAD")
	if err != nil {
		b.Fatal(err)
	}
	return repo, r, paths
}

func BenchmarkChanges(b *testing.B) {
	repo, r, _ := benchRepo(b)
	b.ResetTimer()
	for b.Loop() {
		got, err := Changes(b.Context(), repo, r)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != 30 {
			b.Fatalf("%d changes, want 30", len(got))
		}
	}
}

// BenchmarkSnapshotRead reads every file of the head snapshot from several
// goroutines, as the source scanner does.
func BenchmarkSnapshotRead(b *testing.B) {
	repo, r, paths := benchRepo(b)
	b.ResetTimer()
	for b.Loop() {
		s, err := NewSnapshot(repo, r.Head)
		if err != nil {
			b.Fatal(err)
		}
		var next atomic.Int64
		var failed atomic.Value
		done := make(chan struct{})
		const workers = 4
		for range workers {
			go func() {
				defer func() { done <- struct{}{} }()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(paths) {
						return
					}
					if i%100 == 1 && i < 500 {
						continue // renamed away in head
					}
					if _, err := s.ReadFile(paths[i]); err != nil {
						failed.Store(err)
					}
				}
			}()
		}
		for range workers {
			<-done
		}
		if err := failed.Load(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(paths)), "files/op")
}
