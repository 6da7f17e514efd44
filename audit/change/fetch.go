package change

import (
	"context"
	"errors"
	"fmt"

	"net/url"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
)

// FetchRefPrefix is where Fetch stores the commits it fetched:
// refs/auditbot/<sha>.
const FetchRefPrefix = "refs/auditbot/"

// Fetch creates an in-memory repository (no work tree, nothing on disk) and
// fetches from url only the commits named by their full SHAs, each with
// depth 1: the commit and its tree, no history. That is all an audit of
// base..head needs. For a three-dot (merge base) audit, pass the merge base
// itself as the base SHA (GitHub's compare API gives it as
// merge_base_commit.sha) rather than asking for history.
//
// Each commit ends up under refs/auditbot/<sha>, so Resolve accepts the
// SHAs (and "<base>..<head>"). The server must allow fetching by SHA
// (GitHub does; plain git needs uploadpack.allowAnySHA1InWant or
// allowReachableSHA1InWant), otherwise the error wraps
// git.ErrExactSHA1NotSupported. The returned repository serialises its
// object reads like the one of Open.
func Fetch(ctx context.Context, rawURL string, auth transport.AuthMethod, shas ...string) (*git.Repository, error) {
	if len(shas) == 0 {
		return nil, errors.New("fetch: no commit to fetch")
	}
	specs := make([]config.RefSpec, 0, len(shas))
	seen := map[string]bool{}
	for _, sha := range shas {
		if !plumbing.IsHash(sha) {
			return nil, fmt.Errorf("fetch: %q is not a full commit SHA", sha)
		}
		if seen[sha] {
			continue
		}
		seen[sha] = true
		specs = append(specs, config.RefSpec("+"+sha+":"+FetchRefPrefix+sha))
	}
	st := memory.NewStorage()
	repo, err := git.Init(st, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: init memory repository: %w", err)
	}
	remote, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{rawURL}})
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: specs,
		Depth:    1,
		Auth:     auth,
		Tags:     git.NoTags,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil, fmt.Errorf("fetch %d commit(s) from %s: %w", len(specs), redact(rawURL), err)
	}
	for sha := range seen {
		if _, err := repo.CommitObject(plumbing.NewHash(sha)); err != nil {
			return nil, fmt.Errorf("fetch: commit %s missing after fetch: %w", sha, err)
		}
	}
	safe, err := git.Open(newSyncStorage(st, nil), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	return safe, nil
}

// redact hides the credentials a URL may carry (https://x-access-token:…@).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}
