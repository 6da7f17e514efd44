package change

import (
	"context"
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
