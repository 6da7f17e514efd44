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
	changes, err := object.DiffTreeWithOptions(ctx, baseTree, headTree, &o)
	if err != nil && !o.OnlyExactRenames && ctx.Err() == nil {
		o.OnlyExactRenames = true
		changes, err = object.DiffTreeWithOptions(ctx, baseTree, headTree, &o)
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
