package demo

import (
	"context"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestBuildIsReproducible protects the example's fixed commits: every
// golden report written from the demo depends on the same SHAs.
func TestBuildIsReproducible(t *testing.T) {
	var heads []plumbing.Hash
	for range 2 {
		repo, err := Build(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ref, err := repo.Head()
		if err != nil {
			t.Fatal(err)
		}
		c, err := repo.CommitObject(ref.Hash())
		if err != nil {
			t.Fatal(err)
		}
		if c.NumParents() != 1 {
			t.Fatalf("head has %d parents, want 1", c.NumParents())
		}
		stats, err := c.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) != 2 {
			t.Fatalf("the change touches %d files, want the two ecosystem files: %v", len(stats), stats)
		}
		for _, s := range stats {
			if s.Deletion != 2 || s.Addition != 0 {
				t.Errorf("%s: +%d -%d, want -2 (wait_ready and listen_timeout)", s.Name, s.Addition, s.Deletion)
			}
		}
		heads = append(heads, ref.Hash())
	}
	if heads[0] != heads[1] {
		t.Errorf("two builds gave different heads: %s %s", heads[0], heads[1])
	}
}
