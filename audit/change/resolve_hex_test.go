package change

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// minedCommit writes a root commit whose SHA starts with prefix, found by
// varying its message (the skip-th such message), and returns its hash.
func minedCommit(t testing.TB, f *changetest.Fixture, prefix string, skip int) plumbing.Hash {
	t.Helper()
	tree := f.Tree(changetest.Tree{"p": changetest.Text(prefix + "\n")})
	sig := object.Signature{Name: "Test", Email: "test@example.com", When: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	for i := 0; i < 1<<22; i++ {
		c := &object.Commit{Author: sig, Committer: sig, Message: fmt.Sprintf("mined %s %d\n", prefix, i), TreeHash: tree}
		obj := &plumbing.MemoryObject{}
		if err := c.Encode(obj); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(obj.Hash().String(), prefix) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		h, err := f.Repo().Storer.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	t.Fatalf("no commit hash starting with %q found", prefix)
	return plumbing.ZeroHash
}

// hexNames builds a repository whose branch and tag names look like hex
// (a, b, c, cafe, deadbeef) while other commits' SHAs start with those
// very names, plus two commits sharing a 4-digit prefix.
func hexNames(t testing.TB) (*changetest.Fixture, map[string]plumbing.Hash) {
	f := changetest.NewDiskFixture(t)
	h := map[string]plumbing.Hash{}
	h["x1"] = f.Commit("x1", changetest.Tree{"a": changetest.Text("1\n")})
	h["x2"] = f.Commit("x2", changetest.Tree{"a": changetest.Text("2\n")}, h["x1"])
	h["x3"] = f.Commit("x3", changetest.Tree{"a": changetest.Text("3\n")}, h["x2"])
	for _, p := range []string{"a", "b", "c", "cafe"} {
		h["sha-"+p] = minedCommit(t, f, p, 0)
	}
	// Two commits whose SHAs share their first four digits (an ambiguous
	// short SHA).
	h["amb1"] = minedCommit(t, f, "beef", 0)
	h["amb2"] = minedCommit(t, f, "beef", 1)
	f.Ref("refs/heads/master", h["x3"])
	f.Ref("refs/heads/a", h["x3"])
	f.Ref("refs/heads/b", h["x2"])
	f.Ref("refs/heads/c", h["x1"])
	f.Ref("refs/heads/cafe", h["x2"])
	f.Ref("refs/heads/deadbeef", h["x1"])
	// A tag and a branch of the same name: the tag wins (refs/tags/ comes
	// before refs/heads/).
	f.Ref("refs/heads/dual", h["x1"])
	f.Ref("refs/tags/dual", h["x3"])
	// A remote's default branch, named by the remote alone.
	f.Ref("refs/remotes/origin/HEAD", h["x2"])
	// A branch named as the full SHA of another commit: a full SHA wins.
	f.Ref("refs/heads/"+h["sha-cafe"].String(), h["x1"])
	return f, h
}

// revParse is what git resolves rev to as a commit, or "" when git
// refuses it.
func revParse(t *testing.T, dir, rev string) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		return "", false
	}
	cmd := exec.Command("git", "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", true
	}
	return strings.TrimSpace(string(out)), true
}

// Branch names that look like hex are names first: git resolves refs
// before (short) SHAs, and so must Resolve (issue 8: `report base..a`
// audited another branch's commit). Each row is also checked against
// git rev-parse when git is installed.
func TestResolveHexLikeNames(t *testing.T) {
	f, h := hexNames(t)
	repo := openRepo(t, f)
	tests := []struct {
		rev  string
		want string // key of h; "" = no such commit
		amb  bool   // the error says the short SHA is ambiguous
	}{
		{rev: "a", want: "x3"},
		{rev: "b", want: "x2"},
		{rev: "c", want: "x1"},
		{rev: "cafe", want: "x2"},
		{rev: "deadbeef", want: "x1"},
		{rev: "a~1", want: "x2"},
		{rev: "a^", want: "x2"},
		{rev: "cafe^", want: "x1"},
		{rev: "b~1", want: "x1"},
		{rev: "heads/cafe", want: "x2"},
		{rev: "refs/heads/cafe", want: "x2"},
		{rev: "dual", want: "x3"},
		{rev: "heads/dual", want: "x1"},
		{rev: "origin", want: "x2"},
		{rev: "HEAD", want: "x3"},
		{rev: "HEAD~2", want: "x1"},
		// SHAs still resolve when no ref has the name.
		{rev: h["sha-cafe"].String()[:7], want: "sha-cafe"},
		{rev: h["sha-a"].String()[:4], want: "sha-a"},
		{rev: h["x2"].String()[:5] + "~1", want: "x1"},
		// A full SHA wins over a branch of the same name.
		{rev: h["sha-cafe"].String(), want: "sha-cafe"},
		// git reads no short SHA under four digits.
		{rev: h["x2"].String()[:3], want: ""},
		// Two commits start with beef: ambiguous, as in git.
		{rev: "beef", want: "", amb: true},
		{rev: h["amb1"].String()[:12], want: "amb1"},
		{rev: "nope", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.rev, func(t *testing.T) {
			c, err := commit(repo, tt.rev)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("commit(%q) = %s, want an error", tt.rev, c.Hash)
				}
				if !errors.Is(err, ErrUnknownRevision) {
					t.Errorf("err = %v, want it to wrap ErrUnknownRevision", err)
				}
				if tt.amb && !strings.Contains(err.Error(), "ambiguous") {
					t.Errorf("err = %v, want it to say the short SHA is ambiguous", err)
				}
			} else {
				if err != nil {
					t.Fatalf("commit(%q): %v", tt.rev, err)
				}
				if c.Hash != h[tt.want] {
					t.Errorf("commit(%q) = %s, want %s (%s)", tt.rev, c.Hash, tt.want, h[tt.want])
				}
			}
			got, ok := revParse(t, f.Dir(), tt.rev)
			if !ok {
				return
			}
			want := ""
			if tt.want != "" {
				want = h[tt.want].String()
			}
			if got != want {
				t.Errorf("git rev-parse %q = %q, this table says %q", tt.rev, got, want)
			}
		})
	}
}

// `report base..a` with a branch named a audits branch a.
func TestResolveRangeToHexLikeBranch(t *testing.T) {
	f, h := hexNames(t)
	r, err := Resolve(t.Context(), openRepo(t, f), "c..a")
	if err != nil {
		t.Fatal(err)
	}
	if r.Base == nil || r.Base.Hash != h["x1"] || r.Head.Hash != h["x3"] {
		t.Errorf("Resolve(c..a) = %s..%s, want x1..x3 (%s..%s)", r.Base.Hash, r.Head.Hash, h["x1"], h["x3"])
	}
	r, err = Resolve(t.Context(), openRepo(t, f), "cafe")
	if err != nil {
		t.Fatal(err)
	}
	if r.Base == nil || r.Base.Hash != h["x1"] || r.Head.Hash != h["x2"] {
		t.Errorf("Resolve(cafe) = %s..%s, want x1..x2", r.Base.Hash, r.Head.Hash)
	}
}
