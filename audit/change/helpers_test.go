package change

import (
	"bytes"
	"context"
	"os/exec"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// openRepo opens the repository of an on-disk fixture through Open, as
// the CLI would.
func openRepo(tb testing.TB, f *changetest.Fixture) *git.Repository {
	tb.Helper()
	repo, _, err := Open(tb.Context(), f.Dir())
	if err != nil {
		tb.Fatal(err)
	}
	return repo
}

// gitCLI runs the git command line in dir (tests only, to cross-check).
func gitCLI(t testing.TB, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git CLI not installed")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

var _ storer.EncodedObjectStorer = (*syncStorage)(nil)

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

func mustHash(s string) plumbing.Hash {
	if !plumbing.IsHash(s) {
		panic("not a hash: " + s)
	}
	return plumbing.NewHash(s)
}
