package change

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// ErrUnknownRevision is wrapped by Resolve when a revision names no commit.
// Its message reads `unknown revision "nope"`.
var ErrUnknownRevision = errors.New("unknown revision")

// ErrShallow is wrapped by Resolve when a revision or a parent it needs
// lies beyond the history of a shallow clone; the message says what to
// fetch.
var ErrShallow = errors.New("the repository is a shallow clone")

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
// Revisions are resolved as git resolves them (gitrevisions(7)): a name is
// looked up as a ref first (HEAD and other capitalised pseudo-refs,
// refs/<name>, refs/tags/, refs/heads/, refs/remotes/, refs/remotes/<name>/HEAD,
// in that order), then as a full or short SHA (four digits at least; an
// abbreviation shared by several commits is an error), so a branch named
// a or cafe is that branch. Annotated tags are peeled to their commit;
// ~n, ^ and ^2 navigate from there. A revision that names no commit gives
// an error wrapping ErrUnknownRevision.
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
			if errors.Is(err, plumbing.ErrObjectNotFound) && isShallow(repo) {
				return Range{}, fmt.Errorf(`%w: the merge base of %q and %q is beyond the fetched history; fetch more with "git fetch --deepen=<n>" or the whole history with "git fetch --unshallow"`, ErrShallow, a, b)
			}
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
		if errors.Is(err, plumbing.ErrObjectNotFound) && isShallow(repo) {
			return Range{}, fmt.Errorf(`%w: the parent of %q (%s) was not fetched; fetch it with "git fetch --deepen=1" (or the whole history with "git fetch --unshallow")`,
				ErrShallow, rev, head.Hash.String()[:7])
		}
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
	// The name before the first ~ or ^ is resolved here, as git does;
	// go-git would try it as a short SHA before trying refs, so a branch
	// named a or cafe would name some commit whose SHA starts so. The
	// navigation after it (~n, ^n) is go-git's, from the full SHA.
	name, suffix := rev, ""
	if i := strings.IndexAny(rev, "~^"); i >= 0 {
		name, suffix = rev[:i], rev[i:]
	}
	if name == "@" {
		name = "HEAD" // gitrevisions(7): @ alone is HEAD
	}
	var h *plumbing.Hash
	if simpleName(name) {
		base, err := resolveName(repo, name)
		if err != nil {
			if errors.Is(err, ErrUnknownRevision) && name != rev {
				return nil, fmt.Errorf("%w %q", ErrUnknownRevision, rev)
			}
			return nil, err
		}
		h = &base
		if suffix != "" {
			// A full SHA is a hash, never a ref, for go-git too.
			if h, err = repo.ResolveRevision(plumbing.Revision(base.String() + suffix)); err != nil {
				if errors.Is(err, plumbing.ErrObjectNotFound) && isShallow(repo) {
					return nil, fmt.Errorf(`%w: %q goes past the fetched history; fetch %s or the whole history with "git fetch --unshallow"`,
						ErrShallow, rev, deepenHint(repo, base, suffix))
				}
				if notFound(err) {
					return nil, fmt.Errorf("%w %q", ErrUnknownRevision, rev)
				}
				return nil, fmt.Errorf("resolve revision %q: %w", rev, err)
			}
		}
	} else {
		var err error
		if h, err = repo.ResolveRevision(plumbing.Revision(rev)); err != nil {
			if notFound(err) {
				return nil, fmt.Errorf("%w %q", ErrUnknownRevision, rev)
			}
			return nil, fmt.Errorf("resolve revision %q: %w", rev, err)
		}
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

// isShallow reports whether repo is a shallow clone (it has a
// .git/shallow list of commits whose parents were not fetched).
func isShallow(repo *git.Repository) bool {
	commits, err := repo.Storer.Shallow()
	return err == nil && len(commits) > 0
}

// deepenHint is the fetch that brings the commit base+suffix into a
// shallow clone: "git fetch --deepen=N" when suffix only walks first
// parents (~n, ^), N counted from where the fetched history stops.
func deepenHint(repo *git.Repository, base plumbing.Hash, suffix string) string {
	steps, ok := firstParentSteps(suffix)
	if ok {
		h := base
		for done := 0; done < steps; done++ {
			c, err := repo.CommitObject(h)
			if err != nil || c.NumParents() == 0 {
				break
			}
			if _, err := repo.CommitObject(c.ParentHashes[0]); err != nil {
				return fmt.Sprintf(`what is missing with "git fetch --deepen=%d"`, steps-done)
			}
			h = c.ParentHashes[0]
		}
	}
	return `more with "git fetch --deepen=<n>"`
}

// firstParentSteps counts the first-parent steps of a suffix made of ~n,
// ~ and ^ (or ^1) only.
func firstParentSteps(suffix string) (int, bool) {
	n := 0
	for suffix != "" {
		op := suffix[0]
		suffix = suffix[1:]
		i := 0
		for i < len(suffix) && suffix[i] >= '0' && suffix[i] <= '9' {
			i++
		}
		k := 1
		if i > 0 {
			v, err := strconv.Atoi(suffix[:i])
			if err != nil {
				return 0, false
			}
			k = v
		}
		suffix = suffix[i:]
		switch {
		case op == '~':
			n += k
		case op == '^' && k == 1:
			n++
		case op == '^' && k == 0:
		default:
			return 0, false
		}
	}
	return n, true
}

// simpleName reports whether name is a plain revision name (a ref or a
// SHA) that resolveName handles; reflog selectors (@{...}), paths (:)
// and the like are left to go-git.
func simpleName(name string) bool {
	return name != "" && !strings.Contains(name, "@{") && !strings.ContainsAny(name, ":*?[\\ \t\n")
}

// refRules are git's rules for expanding a name to a ref, in order
// (gitrevisions(7), refs.c ref_rev_parse_rules). The first, the name
// itself, only applies to names under refs/ and to pseudo-refs written in
// capitals (HEAD, FETCH_HEAD, ORIG_HEAD), as git's refname_is_safe.
var refRules = []string{"%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"}

// minAbbrev is the fewest hex digits git reads as a short SHA.
const minAbbrev = 4

// resolveName resolves a name without navigation to a commit, in git's
// order (get_oid_basic in object-name.c): a full 40-digit SHA is that
// object; otherwise the first ref the rules expand the name to; otherwise
// a short SHA of at least four digits, which must name exactly one
// commit (or a tag of one). Annotated tags are peeled to their commit.
func resolveName(repo *git.Repository, name string) (plumbing.Hash, error) {
	if len(name) == 40 && plumbing.IsHash(name) {
		return peel(repo, name, plumbing.NewHash(name))
	}
	for _, rule := range refRules {
		full := fmt.Sprintf(rule, name)
		if rule == "%s" && !strings.HasPrefix(name, "refs/") && !pseudoRef(name) {
			continue
		}
		ref, err := storer.ResolveReference(repo.Storer, plumbing.ReferenceName(full))
		if err != nil {
			if errors.Is(err, plumbing.ErrReferenceNotFound) {
				continue
			}
			return plumbing.ZeroHash, fmt.Errorf("read reference %s: %w", full, err)
		}
		return peel(repo, name, ref.Hash())
	}
	if len(name) < minAbbrev || len(name) > 40 || !isHex(name) {
		return plumbing.ZeroHash, fmt.Errorf("%w %q", ErrUnknownRevision, name)
	}
	return shortSHA(repo, name)
}

// pseudoRef reports whether name is all capitals and underscores (HEAD,
// FETCH_HEAD): the only top-level names git reads from $GIT_DIR.
func pseudoRef(name string) bool {
	for _, r := range name {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}

// shortSHA resolves an abbreviated SHA. Like git asked for a commit
// (GET_OID_COMMITTISH), objects that are not commits or tags of commits
// do not count; more than one commit is an error naming them.
func shortSHA(repo *git.Repository, prefix string) (plumbing.Hash, error) {
	prefix = strings.ToLower(prefix)
	hexb, err := hex.DecodeString(prefix[:len(prefix)&^1])
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("%w %q", ErrUnknownRevision, prefix)
	}
	var hashes []plumbing.Hash
	if p, ok := repo.Storer.(interface {
		HashesWithPrefix([]byte) ([]plumbing.Hash, error)
	}); ok {
		if hashes, err = p.HashesWithPrefix(hexb); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("look up short SHA %q: %w", prefix, err)
		}
	} else {
		it, err := repo.Storer.IterEncodedObjects(plumbing.AnyObject)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("look up short SHA %q: %w", prefix, err)
		}
		err = it.ForEach(func(o plumbing.EncodedObject) error {
			hashes = append(hashes, o.Hash())
			return nil
		})
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("look up short SHA %q: %w", prefix, err)
		}
	}
	var found []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	for _, h := range hashes {
		if seen[h] || !strings.HasPrefix(h.String(), prefix) {
			continue
		}
		seen[h] = true
		if c, err := peel(repo, prefix, h); err == nil && !slices.Contains(found, c) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return plumbing.ZeroHash, fmt.Errorf("%w %q", ErrUnknownRevision, prefix)
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, h := range found {
		names[i] = h.String()
	}
	slices.Sort(names)
	return plumbing.ZeroHash, fmt.Errorf("%w %q: the short SHA is ambiguous (commits %s); give more digits", ErrUnknownRevision, prefix, strings.Join(names, ", "))
}

// peel returns the commit h names: h itself, or the commit an annotated
// tag (or a chain of them) points at.
func peel(repo *git.Repository, name string, h plumbing.Hash) (plumbing.Hash, error) {
	for range 10 {
		obj, err := repo.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return plumbing.ZeroHash, fmt.Errorf("%w %q", ErrUnknownRevision, name)
			}
			return plumbing.ZeroHash, fmt.Errorf("read object %s (%q): %w", h, name, err)
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			tag, err := object.DecodeTag(repo.Storer, obj)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("read tag %s (%q): %w", h, name, err)
			}
			h = tag.Target
		default:
			return plumbing.ZeroHash, fmt.Errorf("%w %q: it names a %s, not a commit", ErrUnknownRevision, name, obj.Type())
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("%w %q: too many nested tags", ErrUnknownRevision, name)
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
