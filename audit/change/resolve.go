package change

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrUnknownRevision is wrapped by Resolve when a revision names no commit.
// Its message reads `unknown revision "nope"`.
var ErrUnknownRevision = errors.New("unknown revision")

// Range is the change to audit: from Base to Head.
type Range struct {
	// Base is nil when the change is compared against the empty tree (the
	// head is a root commit).
	Base *object.Commit
	Head *object.Commit
	// BaseRev and HeadRev are the revisions as the user wrote them (HEAD
	// when a side was left out; "HEAD~1" for the default range; "R^" for a
	// single revision R); BaseRev is empty when Base is nil.
	BaseRev, HeadRev string
	// MergeBase is true for A...B: Base is the merge base of A and B.
	MergeBase bool
}

// Resolve turns a range specification into commits, like git:
//
//   - "A..B": from A to B; a missing side means HEAD ("A..", "..B").
//   - "A...B": from the merge base of A and B to B.
//   - "R": the change made by R, that is R^..R; a root commit is compared
//     against the empty tree.
//   - "": HEAD~1..HEAD (the empty tree when HEAD is a root commit).
//
// Revisions are anything go-git's ResolveRevision understands: full and
// short SHAs, branches, tags (annotated tags are peeled to their commit),
// HEAD~n, HEAD^, main^2. A revision that names no commit gives an error
// wrapping ErrUnknownRevision.
func Resolve(ctx context.Context, repo *git.Repository, spec string) (Range, error) {
	if err := ctx.Err(); err != nil {
		return Range{}, err
	}
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return single(repo, "HEAD", "HEAD~1")
	}
	if i := strings.Index(spec, "..."); i >= 0 {
		a, b := orHEAD(spec[:i]), orHEAD(spec[i+3:])
		ca, cb, err := commits(repo, a, b)
		if err != nil {
			return Range{}, err
		}
		bases, err := ca.MergeBase(cb)
		if err != nil {
			return Range{}, fmt.Errorf("merge base of %q and %q: %w", a, b, err)
		}
		if len(bases) == 0 {
			return Range{}, fmt.Errorf("%q and %q have no merge base (unrelated histories)", a, b)
		}
		// Several best common ancestors (criss-cross merges): git diff
		// A...B also takes one of them; take the first, deterministically.
		return Range{Base: bases[0], Head: cb, BaseRev: a, HeadRev: b, MergeBase: true}, nil
	}
	if i := strings.Index(spec, ".."); i >= 0 {
		a, b := orHEAD(spec[:i]), orHEAD(spec[i+2:])
		ca, cb, err := commits(repo, a, b)
		if err != nil {
			return Range{}, err
		}
		return Range{Base: ca, Head: cb, BaseRev: a, HeadRev: b}, nil
	}
	return single(repo, spec, spec+"^")
}

// single resolves the change made by one commit: its first parent to it.
func single(repo *git.Repository, rev, parentRev string) (Range, error) {
	head, err := commit(repo, rev)
	if err != nil {
		return Range{}, err
	}
	r := Range{Head: head, HeadRev: rev}
	if head.NumParents() == 0 {
		return r, nil
	}
	base, err := head.Parent(0)
	if err != nil {
		return Range{}, fmt.Errorf("read first parent of %q: %w", rev, err)
	}
	r.Base, r.BaseRev = base, parentRev
	return r, nil
}

func orHEAD(rev string) string {
	if rev == "" {
		return "HEAD"
	}
	return rev
}

// caretN matches a ^N parent selector with N > 2.
var caretN = regexp.MustCompile(`\^([3-9]|[1-9][0-9]+)`)

// commits resolves both ends of an A..B or A...B range.
func commits(repo *git.Repository, a, b string) (ca, cb *object.Commit, err error) {
	if ca, err = commit(repo, a); err != nil {
		return nil, nil, err
	}
	if cb, err = commit(repo, b); err != nil {
		return nil, nil, err
	}
	return ca, cb, nil
}

// commit resolves one revision to a commit.
func commit(repo *git.Repository, rev string) (*object.Commit, error) {
	// go-git reads R^3 (and beyond) as R^2: refuse rather than audit the
	// wrong commit.
	if caretN.MatchString(rev) {
		return nil, fmt.Errorf("revision %q: parent selectors beyond ^2 (octopus merges) are not supported", rev)
	}
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		if notFound(err) {
			return nil, fmt.Errorf("%w %q", ErrUnknownRevision, rev)
		}
		return nil, fmt.Errorf("resolve revision %q: %w", rev, err)
	}
	c, err := repo.CommitObject(*h)
	if err != nil {
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("%w %q", ErrUnknownRevision, rev)
		}
		return nil, fmt.Errorf("read commit %s (%q): %w", h, rev, err)
	}
	return c, nil
}

// notFound tells the errors of ResolveRevision that mean "no such commit"
// (unknown name, malformed revision, walking past the root with ~ or ^)
// from storage failures.
func notFound(err error) bool {
	return errors.Is(err, plumbing.ErrReferenceNotFound) || errors.Is(err, plumbing.ErrObjectNotFound) ||
		errors.Is(err, io.EOF) ||
		// go-git's revision parser (an internal package) returns
		// *revision.ErrInvalidRevision, whose message starts so.
		strings.HasPrefix(err.Error(), "Revision invalid")
}
