package change

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/utils/merkletrie"
)

// Status says what a change did to a file.
type Status string

// The statuses of a changed file.
const (
	Added    Status = "added"
	Deleted  Status = "deleted"
	Modified Status = "modified" // content, mode or type (file to symlink...)
	Renamed  Status = "renamed"  // possibly with content changes too
)

// File is one file touched by a change. Path is its path at head (at base
// for a deleted file); OldPath is its path at base, equal to Path except for
// renames and empty for an added file. Hashes and modes are zero on the side
// where the file does not exist.
type File struct {
	Path, OldPath    string
	Status           Status
	OldHash, NewHash plumbing.Hash
	OldMode, NewMode filemode.FileMode
	// Symlink is true when either side is a symbolic link; its "content"
	// is the link target and it is never followed.
	Symlink bool
	// Submodule is true when either side is a submodule (gitlink): its hash
	// names a commit of another repository, never read.
	Submodule bool
}

// renameScore and renameLimit are git's defaults (diff -M50%,
// diff.renameLimit=1000).
const (
	renameScore = 50
	renameLimit = 1000
)

// ChangesOption tunes Changes.
type ChangesOption func(*object.DiffTreeOptions)

// ExactRenamesOnly pairs deleted and added files as renames only when their
// content is identical, so Changes reads no blob at all.
func ExactRenamesOnly() ChangesOption {
	return func(o *object.DiffTreeOptions) { o.OnlyExactRenames = true }
}

// Changes lists the files the range changes, sorted by path, from the two
// trees alone: names, modes and hashes, never file contents, except that
// renames are detected like git does by default (50% similarity), which
// reads the added and deleted regular files when no exact rename pairs them
// (ExactRenamesOnly turns that off). Should similarity detection fail
// (go-git gives up on enormous files), exact detection is used instead and
// every change is still listed.
func Changes(ctx context.Context, repo *git.Repository, r Range, opts ...ChangesOption) ([]File, error) {
	if r.Head == nil {
		return nil, errors.New("changes: range has no head commit")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	headTree, err := r.Head.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", r.Head.Hash, err)
	}
	var baseTree *object.Tree
	if r.Base != nil {
		if baseTree, err = r.Base.Tree(); err != nil {
			return nil, fmt.Errorf("read tree of %s: %w", r.Base.Hash, err)
		}
	}
	o := object.DiffTreeOptions{DetectRenames: true, RenameScore: renameScore, RenameLimit: renameLimit}
	for _, opt := range opts {
		opt(&o)
	}
	raw, err := diffTrees(ctx, repo.Storer, baseTree, headTree)
	if err != nil {
		return nil, fmt.Errorf("diff trees: %w", err)
	}
	// Similarity reads both sides whole: added and deleted blobs over
	// MaxBlobSize (sized from their object headers) are paired by exact
	// content only, so no step of an audit inflates them.
	raw, big, err := splitBig(repo.Storer, raw, o.OnlyExactRenames)
	if err != nil {
		return nil, fmt.Errorf("diff trees: %w", err)
	}
	changes, err := object.DetectRenames(raw, &o)
	if err != nil && !o.OnlyExactRenames && ctx.Err() == nil {
		o.OnlyExactRenames = true
		changes, err = object.DetectRenames(raw, &o)
	}
	if err == nil && len(big) > 0 {
		exact := o
		exact.OnlyExactRenames = true
		var bigChanges object.Changes
		if bigChanges, err = object.DetectRenames(big, &exact); err == nil {
			changes = append(changes, bigChanges...)
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("diff trees: %w", err)
	}
	files := make([]File, 0, len(changes))
	for _, c := range changes {
		f, err := fileOf(c)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].Path != files[j].Path {
			return files[i].Path < files[j].Path
		}
		return files[i].OldPath < files[j].OldPath
	})
	return files, nil
}

// splitBig takes out of raw the insertions and deletions of regular
// files whose blob is over MaxBlobSize, as its object header gives it:
// go-git's similarity detection would read them whole. With exactOnly
// nothing is read anyway and raw is returned as it is.
func splitBig(st storer.EncodedObjectStorer, raw object.Changes, exactOnly bool) (small, big object.Changes, err error) {
	if exactOnly {
		return raw, nil, nil
	}
	small = raw[:0:0]
	for _, c := range raw {
		e := c.To.TreeEntry
		if e.Hash.IsZero() {
			e = c.From.TreeEntry
		}
		oneSided := c.From.TreeEntry.Hash.IsZero() != c.To.TreeEntry.Hash.IsZero()
		if oneSided && e.Mode.IsFile() && e.Mode != filemode.Symlink {
			size, err := st.EncodedObjectSize(e.Hash)
			if err != nil {
				return nil, nil, fmt.Errorf("size of blob %s: %w", e.Hash, err)
			}
			if size > MaxBlobSize {
				big = append(big, c)
				continue
			}
		}
		small = append(small, c)
	}
	return small, big, nil
}

func fileOf(c *object.Change) (File, error) {
	action, err := c.Action()
	if err != nil {
		return File{}, fmt.Errorf("classify change %s: %w", c, err)
	}
	f := File{
		OldHash: c.From.TreeEntry.Hash, NewHash: c.To.TreeEntry.Hash,
		OldMode: c.From.TreeEntry.Mode, NewMode: c.To.TreeEntry.Mode,
	}
	switch action {
	case merkletrie.Insert:
		f.Status, f.Path = Added, c.To.Name
	case merkletrie.Delete:
		f.Status, f.Path = Deleted, c.From.Name
		// OldPath equals Path, so a caller can always read the base side
		// at OldPath.
		f.OldPath = c.From.Name
	default:
		f.Path, f.OldPath = c.To.Name, c.From.Name
		f.Status = Modified
		if f.Path != f.OldPath {
			f.Status = Renamed
		}
	}
	f.Symlink = f.OldMode == filemode.Symlink || f.NewMode == filemode.Symlink
	f.Submodule = f.OldMode == filemode.Submodule || f.NewMode == filemode.Submodule
	return f, nil
}

// diffTrees lists the files that differ between two trees (nil: the empty
// tree) as insertions, deletions and modifications, like go-git's
// object.DiffTree, but reads only the subtrees whose hashes differ: go-git
// decodes every child tree of each directory it enters, siblings included.
// Each change's Tree is the root tree of its side, from which Change.Files
// (and rename detection) read the blobs.
func diffTrees(ctx context.Context, st storer.EncodedObjectStorer, from, to *object.Tree) (object.Changes, error) {
	d := treeDiff{ctx: ctx, st: st, fromRoot: from, toRoot: to}
	if from == nil && to == nil {
		return nil, nil
	}
	if err := d.trees("", from, to); err != nil {
		return nil, err
	}
	return d.out, nil
}

type treeDiff struct {
	ctx              context.Context
	st               storer.EncodedObjectStorer
	fromRoot, toRoot *object.Tree
	out              object.Changes
}

// trees compares two directories (either may be nil) under prefix.
func (d *treeDiff) trees(prefix string, from, to *object.Tree) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	fe, te := sortedEntries(from), sortedEntries(to)
	i, j := 0, 0
	for i < len(fe) || j < len(te) {
		switch {
		case j == len(te) || (i < len(fe) && fe[i].Name < te[j].Name):
			if err := d.side(prefix, fe[i], true); err != nil {
				return err
			}
			i++
		case i == len(fe) || te[j].Name < fe[i].Name:
			if err := d.side(prefix, te[j], false); err != nil {
				return err
			}
			j++
		default:
			f, t := fe[i], te[j]
			i++
			j++
			if f.Hash == t.Hash && f.Mode == t.Mode {
				continue
			}
			fDir, tDir := f.Mode == filemode.Dir, t.Mode == filemode.Dir
			switch {
			case fDir && tDir:
				ft, err := d.subtree(d.fromRoot, f.Hash)
				if err != nil {
					return err
				}
				tt, err := d.subtree(d.toRoot, t.Hash)
				if err != nil {
					return err
				}
				if err := d.trees(join(prefix, f.Name), ft, tt); err != nil {
					return err
				}
			case !fDir && !tDir:
				name := join(prefix, f.Name)
				d.out = append(d.out, &object.Change{
					From: object.ChangeEntry{Name: name, Tree: d.fromRoot, TreeEntry: f},
					To:   object.ChangeEntry{Name: name, Tree: d.toRoot, TreeEntry: t},
				})
			default: // a file became a directory or the reverse
				if err := d.side(prefix, f, true); err != nil {
					return err
				}
				if err := d.side(prefix, t, false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// side records e (a file, or every file under a directory) as deleted
// (from) or inserted.
func (d *treeDiff) side(prefix string, e object.TreeEntry, from bool) error {
	name := join(prefix, e.Name)
	root := d.toRoot
	if from {
		root = d.fromRoot
	}
	if e.Mode == filemode.Dir {
		t, err := d.subtree(root, e.Hash)
		if err != nil {
			return err
		}
		for _, c := range sortedEntries(t) {
			if err := d.side(name, c, from); err != nil {
				return err
			}
		}
		return nil
	}
	ce := object.ChangeEntry{Name: name, Tree: root, TreeEntry: e}
	if from {
		d.out = append(d.out, &object.Change{From: ce})
	} else {
		d.out = append(d.out, &object.Change{To: ce})
	}
	return nil
}

func (d *treeDiff) subtree(_ *object.Tree, h plumbing.Hash) (*object.Tree, error) {
	if err := d.ctx.Err(); err != nil {
		return nil, err
	}
	t, err := object.GetTree(d.st, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	return t, nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "/" + name
}

// sortedEntries returns the entries of t sorted by name (nil for nil).
func sortedEntries(t *object.Tree) []object.TreeEntry {
	if t == nil {
		return nil
	}
	es := t.Entries
	less := func(a, b int) bool { return es[a].Name < es[b].Name }
	if !sort.SliceIsSorted(es, less) {
		es = append([]object.TreeEntry(nil), es...)
		sort.Slice(es, func(a, b int) bool { return es[a].Name < es[b].Name })
	}
	return es
}
