package change

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// ErrNotRepository is wrapped by Open when no git work tree contains the
// directory.
var ErrNotRepository = errors.New("not a git repository")

// Open opens the git repository whose work tree contains dir (any directory
// inside it; the root is found upwards, linked worktrees included) and
// returns it with the absolute path of the work tree root.
//
// The returned repository serialises every object read behind one mutex
// (go-git's file system storage is not safe for concurrent use: it builds its
// pack indexes and caches lazily), so its commits can be read from several
// goroutines at once, through Snapshot in particular. Objects present when
// Open is called (packfiles and loose objects) are read without that
// mutex, by a lock-free reader of memory-mapped packs, so those goroutines
// decompress in parallel. The repository is read as it was when opened:
// objects that other processes add to it afterwards may not be seen
// (go-git's ExclusiveAccess), while objects written through it, by Fetch
// for instance, are.
func Open(ctx context.Context, dir string) (*git.Repository, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{
		DetectDotGit:          true,
		EnableDotGitCommonDir: true,
	})
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, "", fmt.Errorf("%w: %s", ErrNotRepository, dir)
		}
		return nil, "", fmt.Errorf("open repository at %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		if errors.Is(err, git.ErrIsBareRepository) {
			return nil, "", fmt.Errorf("%w: %s is a bare repository (no work tree)", ErrNotRepository, dir)
		}
		return nil, "", fmt.Errorf("open work tree at %s: %w", dir, err)
	}
	st := repo.Storer
	var fast *objectReader
	if fsb, ok := st.(interface{ Filesystem() billy.Filesystem }); ok {
		fast = newObjectReader(objectsDir(fsb.Filesystem().Root()))
		// The same .git (and common dir) as PlainOpen, but packfiles stay
		// open between reads: go-git otherwise reopens the pack for every
		// object. Descriptors are closed by the os.File finalizers once the
		// repository is dropped.
		// Objects over MaxBlobSize that go-git serves are read lazily
		// (streamed on Reader, sized from their header): never whole.
		st = filesystem.NewStorageWithOptions(fsb.Filesystem(), cache.NewObjectLRUDefault(),
			filesystem.Options{MaxOpenDescriptors: maxOpenPacks, ExclusiveAccess: true, LargeObjectThreshold: MaxBlobSize})
	}
	safe, err := git.Open(newSyncStorage(st, fast), wt.Filesystem)
	if err != nil {
		return nil, "", fmt.Errorf("open repository at %s: %w", dir, err)
	}
	return safe, wt.Filesystem.Root(), nil
}

// objectsDir is the objects directory of the git directory gitDir: its
// own, or the common directory's for a linked worktree.
func objectsDir(gitDir string) string {
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		return filepath.Join(common, "objects")
	}
	return filepath.Join(gitDir, "objects")
}

// maxOpenPacks is how many packfiles Open keeps open between reads.
const maxOpenPacks = 8

// syncStorage serialises the object reads of a storage behind a mutex. Only
// the object side is guarded: references and configuration are read once,
// from one goroutine, while resolving the range.
//
// Reads first try fast, when set: a lock-free reader of the packfiles and
// loose objects present when the repository was opened, which lets the
// goroutines of a scan decompress in parallel. What it does not serve
// (objects written later, alternates, big blobs) goes to the wrapped
// storage under the lock.
type syncStorage struct {
	storage.Storer
	mu   *sync.Mutex
	fast *objectReader
	// trees is shared by the snapshots of this repository (objects are
	// immutable: a tree decoded for one commit serves every other).
	trees *treeCache
}

func newSyncStorage(s storage.Storer, fast *objectReader) storage.Storer {
	if already, ok := s.(*syncStorage); ok {
		return already
	}
	return &syncStorage{Storer: s, mu: new(sync.Mutex), fast: fast, trees: newTreeCache()}
}

// EncodedObject implements storer.EncodedObjectStorer.
func (s *syncStorage) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if s.fast != nil {
		if typ, data, err := s.fast.object(h); err == nil {
			if t != plumbing.AnyObject && t != typ {
				return nil, plumbing.ErrObjectNotFound
			}
			return &fastObject{h: h, t: typ, data: data}, nil
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, err := s.Storer.EncodedObject(t, h)
	if err != nil {
		return nil, err
	}
	if _, ok := obj.(*plumbing.MemoryObject); ok {
		// Its content is in memory: readers share nothing mutable.
		return obj, nil
	}
	// Lazy objects (large packed blobs) read the pack when Reader is
	// called, through the shared index and caches: guard those reads too.
	return &syncObject{EncodedObject: obj, mu: s.mu}, nil
}

// EncodedObjectSize implements storer.EncodedObjectStorer.
func (s *syncStorage) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	if s.fast != nil {
		if size, err := s.fast.size(h); err == nil {
			return size, nil
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Storer.EncodedObjectSize(h)
}

// HasEncodedObject implements storer.EncodedObjectStorer.
func (s *syncStorage) HasEncodedObject(h plumbing.Hash) error {
	if s.fast != nil && s.fast.has(h) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Storer.HasEncodedObject(h)
}

// SetEncodedObject implements storer.EncodedObjectStorer.
func (s *syncStorage) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Storer.SetEncodedObject(o)
}

// IterEncodedObjects implements storer.EncodedObjectStorer; each step of
// the iteration holds the lock.
func (s *syncStorage) IterEncodedObjects(t plumbing.ObjectType) (storer.EncodedObjectIter, error) {
	s.mu.Lock()
	it, err := s.Storer.IterEncodedObjects(t)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return &syncIter{it: it, mu: s.mu}, nil
}

// HashesWithPrefix keeps go-git's fast path for short SHAs (without it
// ResolveRevision would iterate over every object of the repository).
func (s *syncStorage) HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error) {
	type prefixer interface {
		HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error)
	}
	p, ok := s.Storer.(prefixer)
	if !ok {
		var out []plumbing.Hash
		it, err := s.IterEncodedObjects(plumbing.AnyObject)
		if err != nil {
			return nil, err
		}
		err = it.ForEach(func(o plumbing.EncodedObject) error {
			h := o.Hash()
			if len(prefix) <= len(h) && string(h[:len(prefix)]) == string(prefix) {
				out = append(out, h)
			}
			return nil
		})
		return out, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return p.HashesWithPrefix(prefix)
}

type syncIter struct {
	it storer.EncodedObjectIter
	mu *sync.Mutex
}

func (i *syncIter) Next() (plumbing.EncodedObject, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.it.Next()
}

func (i *syncIter) ForEach(f func(plumbing.EncodedObject) error) error {
	for {
		o, err := i.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(o); err != nil {
			if errors.Is(err, storer.ErrStop) {
				return nil
			}
			return err
		}
	}
}

func (i *syncIter) Close() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.it.Close()
}

// syncObject guards the lazy reads of an object that is not in memory.
type syncObject struct {
	plumbing.EncodedObject
	mu *sync.Mutex
}

func (o *syncObject) Reader() (io.ReadCloser, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.EncodedObject.Reader()
	if err != nil {
		return nil, err
	}
	return &syncReader{r: r, mu: o.mu}, nil
}

type syncReader struct {
	r  io.ReadCloser
	mu *sync.Mutex
}

func (r *syncReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Read(p)
}

func (r *syncReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Close()
}

// fastObject is an object read whole by the fast path: immutable, shared
// by nothing, safe to read from any goroutine.
type fastObject struct {
	h    plumbing.Hash
	t    plumbing.ObjectType
	data []byte
}

func (o *fastObject) Hash() plumbing.Hash         { return o.h }
func (o *fastObject) Type() plumbing.ObjectType   { return o.t }
func (o *fastObject) SetType(plumbing.ObjectType) {}
func (o *fastObject) Size() int64                 { return int64(len(o.data)) }
func (o *fastObject) SetSize(int64)               {}
func (o *fastObject) Reader() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(o.data)), nil
}
func (o *fastObject) Writer() (io.WriteCloser, error) { return nil, errors.New("read-only object") }
