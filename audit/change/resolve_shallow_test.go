package change

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// shallowClone builds c1 - c2 - c3 and makes it a clone of depth 2 (as
// `git clone --depth 2` leaves it): c2 is listed in .git/shallow and c1,
// its parent, is not in the object store.
func shallowClone(t *testing.T) (*changetest.Fixture, map[string]plumbing.Hash) {
	f := changetest.NewDiskFixture(t)
	h := map[string]plumbing.Hash{}
	h["c1"] = f.Commit("c1", changetest.Tree{"a": changetest.Text("1\n")})
	h["c2"] = f.Commit("c2", changetest.Tree{"a": changetest.Text("2\n")}, h["c1"])
	h["c3"] = f.Commit("c3", changetest.Tree{"a": changetest.Text("3\n")}, h["c2"])
	f.Ref("refs/heads/master", h["c3"])
	f.Ref("refs/heads/side", h["c2"])
	c1 := h["c1"].String()
	if err := os.Remove(filepath.Join(f.Dir(), ".git", "objects", c1[:2], c1[2:])); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.Dir(), ".git", "shallow"), []byte(h["c2"].String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return f, h
}

// A shallow clone's boundary commit has a parent that was never fetched:
// the error says the clone is shallow and what to fetch, instead of
// `read first parent of "HEAD~1": object not found` (issue 8).
func TestResolveShallowClone(t *testing.T) {
	f, h := shallowClone(t)
	repo := openRepo(t, f)
	// Within the fetched history everything resolves.
	if r, err := Resolve(t.Context(), repo, ""); err != nil || r.Base.Hash != h["c2"] {
		t.Fatalf("Resolve(\"\") = %v, %v; want c2..c3", r, err)
	}
	for _, tc := range []struct{ spec, want string }{
		{"HEAD~1", `the parent of "HEAD~1" (` + h["c2"].String()[:7] + `) was not fetched`},
		{"side", `the parent of "side" (` + h["c2"].String()[:7] + `) was not fetched`},
		{"HEAD~2..HEAD", `"HEAD~2" goes past the fetched history`},
		{"HEAD~2", `"HEAD~2" goes past the fetched history`},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			_, err := Resolve(t.Context(), repo, tc.spec)
			if !errors.Is(err, ErrShallow) {
				t.Fatalf("err = %v, want ErrShallow", err)
			}
			msg := err.Error()
			for _, want := range []string{"shallow clone", tc.want, "git fetch --deepen=", "git fetch --unshallow"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message is not one line: %q", msg)
			}
		})
	}
}

// Past the root of a complete history is an unknown revision, not a
// shallow clone.
func TestResolvePastRootIsNotShallow(t *testing.T) {
	f, _ := history(t)
	_, err := Resolve(t.Context(), openRepo(t, f), "HEAD~5")
	if errors.Is(err, ErrShallow) || !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("err = %v, want unknown revision", err)
	}
}
