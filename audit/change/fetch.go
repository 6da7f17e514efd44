package change

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/storage/filesystem"
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
//
// Everything fetched is held in memory, blobs included, however big: the
// server fetches with FetchTo into a repository on disk instead.
func Fetch(ctx context.Context, rawURL string, auth transport.AuthMethod, shas ...string) (*git.Repository, error) {
	specs, seen, err := fetchSpecs(shas)
	if err != nil {
		return nil, err
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
		return nil, redactError(fmt.Errorf("fetch %d commit(s) from %s: %w", len(specs), redact(rawURL), err), rawURL)
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

// fetchSpecs checks the SHAs and makes one refspec per distinct SHA.
func fetchSpecs(shas []string) ([]config.RefSpec, map[string]bool, error) {
	if len(shas) == 0 {
		return nil, nil, errors.New("fetch: no commit to fetch")
	}
	specs := make([]config.RefSpec, 0, len(shas))
	seen := map[string]bool{}
	for _, sha := range shas {
		if !plumbing.IsHash(sha) {
			return nil, nil, fmt.Errorf("fetch: %q is not a full commit SHA", sha)
		}
		if seen[sha] {
			continue
		}
		seen[sha] = true
		specs = append(specs, config.RefSpec("+"+sha+":"+FetchRefPrefix+sha))
	}
	return specs, seen, nil
}

// FetchStats says what FetchTo did.
type FetchStats struct {
	// Fetched is false when every commit was already in the repository:
	// nothing was asked of the remote.
	Fetched bool
	// Bytes is the size of the packfiles the fetch added.
	Bytes int64
}

// FetchTo fetches the commits named by their full SHAs from rawURL into
// the bare repository at dir, creating it when it does not exist, and
// returns it opened for reading as Open does (a lock-free reader of its
// memory-mapped packs; objects over a size limit are never inflated).
//
// Commits already in the repository are not asked for: when all are there
// the remote is not contacted at all. The others are fetched with depth 1
// (the commit and its tree, no history), and the fetch tells the remote
// which commits the repository has (earlier fetches, under
// refs/auditbot/<sha>), so that only objects it lacks are sent: the second
// pull request of a repository costs what it changes, not the whole tree.
// The packfile is streamed to disk and indexed there; no object is held in
// memory whole, whatever its size.
//
// FetchTo must not run on one directory from two goroutines or processes
// at once (the caller locks); reading a repository returned earlier while
// another FetchTo adds to it is safe. Errors never carry the credentials or
// the query string of rawURL.
func FetchTo(ctx context.Context, dir, rawURL string, auth transport.AuthMethod, shas ...string) (*git.Repository, FetchStats, error) {
	var stats FetchStats
	specs, _, err := fetchSpecs(shas)
	if err != nil {
		return nil, stats, err
	}
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		repo, err = git.PlainInit(dir, true)
	}
	if err != nil {
		return nil, stats, fmt.Errorf("fetch: open repository %s: %w", dir, err)
	}
	var missing []plumbing.Hash
	for _, spec := range specs {
		sha := plumbing.NewHash(spec.Src())
		if _, err := repo.CommitObject(sha); err != nil {
			missing = append(missing, sha)
			continue
		}
		// Fetched before under another name, or as a parent: make sure the
		// reference is there, so later fetches offer it as a "have".
		ref := plumbing.NewHashReference(plumbing.ReferenceName(FetchRefPrefix+sha.String()), sha)
		if err := repo.Storer.SetReference(ref); err != nil {
			return nil, stats, fmt.Errorf("fetch: %w", err)
		}
	}
	if len(missing) > 0 {
		fst, ok := repo.Storer.(*filesystem.Storage)
		if !ok {
			return nil, stats, fmt.Errorf("fetch: %s is not a repository on disk", dir)
		}
		n, err := fetchPack(ctx, dir, fst, rawURL, auth, missing)
		if err != nil {
			return nil, stats, redactError(fmt.Errorf("fetch %d commit(s) from %s: %w", len(missing), redact(rawURL), err), rawURL)
		}
		stats.Fetched, stats.Bytes = true, n
		for _, h := range missing {
			ref := plumbing.NewHashReference(plumbing.ReferenceName(FetchRefPrefix+h.String()), h)
			if err := fst.SetReference(ref); err != nil {
				return nil, stats, fmt.Errorf("fetch: %w", err)
			}
		}
	}
	safe, err := OpenBare(ctx, dir)
	if err != nil {
		return nil, stats, err
	}
	for _, sha := range shas {
		if _, err := safe.CommitObject(plumbing.NewHash(sha)); err != nil {
			return nil, stats, fmt.Errorf("fetch: commit %s missing after fetch: %w", sha, err)
		}
	}
	return safe, stats, nil
}

// OpenBare opens the bare repository at dir for reading, as Open does a
// work tree's: object reads are safe from many goroutines, packed and
// loose objects present now are read by the lock-free fast path, and no
// object over MaxBlobSize is ever inflated whole.
func OpenBare(ctx context.Context, dir string) (*git.Repository, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "objects")); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotRepository, dir)
	}
	st := filesystem.NewStorageWithOptions(osfs.New(dir), cache.NewObjectLRUDefault(),
		filesystem.Options{MaxOpenDescriptors: maxOpenPacks, ExclusiveAccess: true, LargeObjectThreshold: MaxBlobSize})
	repo, err := git.Open(newSyncStorage(st, newObjectReader(filepath.Join(dir, "objects"))), nil)
	if err != nil {
		return nil, fmt.Errorf("open repository at %s: %w", dir, err)
	}
	return repo, nil
}

// fetchPack asks rawURL for the commits want, depth 1, telling it the
// commits the repository has (its refs/auditbot/ references) and its
// shallow boundary, and asking for a thin pack: with a shallow client
// git's upload-pack leaves out the objects the client has only from a thin
// pack (pack-objects' --objects-edge-aggressive). go-git's own fetch asks
// for no thin pack (its indexer cannot complete one) and its indexer
// inflates every object into memory, so neither is used: the pack is
// streamed into a temporary file, indexed by indexPack in bounded memory,
// then moved into objects/pack. It returns the size of the pack.
func fetchPack(ctx context.Context, dir string, st *filesystem.Storage, rawURL string, auth transport.AuthMethod, want []plumbing.Hash) (int64, error) {
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil {
		return 0, err
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return 0, err
	}
	sess, err := cl.NewUploadPackSession(ep, auth)
	if err != nil {
		return 0, err
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return 0, err
	}
	caps := ar.Capabilities
	if !caps.Supports(capability.AllowReachableSHA1InWant) && !caps.Supports(capability.AllowTipSHA1InWant) {
		return 0, git.ErrExactSHA1NotSupported
	}
	req := packp.NewUploadPackRequestFromCapabilities(caps)
	if !caps.Supports(capability.Shallow) {
		return 0, errors.New("the server does not support shallow fetches")
	}
	if err := req.Capabilities.Set(capability.Shallow); err != nil {
		return 0, err
	}
	// go-git's transports drop thin-pack from what the server advertises
	// (go-git cannot complete thin packs); every git server supports it,
	// and indexPack reads thin packs.
	if err := req.Capabilities.Set(capability.ThinPack); err != nil {
		return 0, err
	}
	if caps.Supports(capability.NoProgress) {
		_ = req.Capabilities.Set(capability.NoProgress)
	}
	req.Wants = want
	req.Depth = packp.DepthCommits(1)
	if req.Shallows, err = st.Shallow(); err != nil {
		return 0, err
	}
	refs, err := st.IterReferences()
	if err != nil {
		return 0, err
	}
	_ = refs.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference && strings.HasPrefix(r.Name().String(), FetchRefPrefix) {
			req.Haves = append(req.Haves, r.Hash())
		}
		return nil
	})
	resp, err := sess.UploadPack(ctx, req)
	if err != nil {
		return 0, err
	}
	defer resp.Close()
	var body io.Reader = resp
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		body = sideband.NewDemuxer(sideband.Sideband64k, resp)
	case req.Capabilities.Supports(capability.Sideband):
		body = sideband.NewDemuxer(sideband.Sideband, resp)
	}
	packDir := filepath.Join(dir, "objects", "pack")
	if err := os.MkdirAll(packDir, 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(packDir, "tmp_pack_")
	if err != nil {
		return 0, err
	}
	tmpIdx := tmp.Name() + ".idx"
	defer os.Remove(tmp.Name())
	defer os.Remove(tmpIdx)
	n, err := io.Copy(tmp, &ctxReader{ctx: ctx, r: body})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("receive pack: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	sum, err := writeIndex(tmp.Name(), tmpIdx, newObjectReader(filepath.Join(dir, "objects")))
	if err != nil {
		return 0, err
	}
	name := filepath.Join(packDir, "pack-"+sum.String())
	// The index last: a pack is seen once its index is there.
	if err := os.Rename(tmp.Name(), name+".pack"); err != nil {
		return 0, err
	}
	if err := os.Rename(tmpIdx, name+".idx"); err != nil {
		return 0, err
	}
	if len(resp.Shallows) > 0 || len(resp.Unshallows) > 0 {
		if err := updateShallow(st, resp.Shallows, resp.Unshallows); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// writeIndex writes the index of the pack at packPath to idxPath: with
// indexPack, or, for a delta too large for it, with go-git's indexer
// (correct, but it inflates every object).
func writeIndex(packPath, idxPath string, base *objectReader) (plumbing.Hash, error) {
	out, err := os.Create(idxPath)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer out.Close()
	sum, err := indexPack(packPath, out, base)
	if errors.Is(err, errIndexTooLarge) {
		sum, err = goGitIndex(packPath, out)
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("index pack: %w", err)
	}
	if err := out.Sync(); err != nil {
		return plumbing.ZeroHash, err
	}
	return sum, out.Close()
}

// goGitIndex indexes a (complete) pack with go-git's parser.
func goGitIndex(packPath string, out *os.File) (plumbing.Hash, error) {
	if err := out.Truncate(0); err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := out.Seek(0, io.SeekStart); err != nil {
		return plumbing.ZeroHash, err
	}
	f, err := os.Open(packPath)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer f.Close()
	w := new(idxfile.Writer)
	p, err := packfile.NewParser(packfile.NewScanner(f), w)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	sum, err := p.Parse()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	mi, err := w.Index()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	_, err = idxfile.NewEncoder(out).Encode(mi)
	return sum, err
}

// updateShallow adds the new shallow commits and drops the unshallowed.
func updateShallow(st *filesystem.Storage, add, drop []plumbing.Hash) error {
	cur, err := st.Shallow()
	if err != nil {
		return err
	}
	set := map[plumbing.Hash]bool{}
	for _, h := range cur {
		set[h] = true
	}
	for _, h := range add {
		set[h] = true
	}
	for _, h := range drop {
		delete(set, h)
	}
	out := make([]plumbing.Hash, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	return st.SetShallow(out)
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// redact hides the credentials and the query string a URL may carry
// (https://x-access-token:…@, ?token=…).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	if u.RawQuery != "" {
		u.RawQuery = "redacted"
	}
	u.Fragment = ""
	return u.Redacted()
}

// redactError hides in err's text the secrets of rawURL (its password,
// user and query string) wherever a library below may have quoted them.
// errors.Is and errors.As still see the original error.
func redactError(err error, rawURL string) error {
	u, perr := url.Parse(rawURL)
	if perr != nil {
		return &redactedError{msg: "fetch from <unparsable URL> failed", err: err}
	}
	msg := err.Error()
	var secrets []string
	if p, ok := u.User.Password(); ok && p != "" {
		secrets = append(secrets, p, url.QueryEscape(p), url.PathEscape(p))
	}
	if u.RawQuery != "" {
		secrets = append(secrets, u.RawQuery)
	}
	changed := false
	for _, s := range secrets {
		if strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError is an error whose text had secrets removed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
