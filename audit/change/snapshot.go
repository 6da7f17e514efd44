package change

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// MaxFileSize is the default largest file a Snapshot reads.
const MaxFileSize = 4 << 20

// Errors of Snapshot, wrapped in *fs.PathError.
var (
	// ErrSymlink: the path is, or goes through, a symbolic link, which a
	// snapshot never follows.
	ErrSymlink = errors.New("symbolic link not followed")
	// ErrSubmodule: the path is, or goes through, a submodule, whose
	// content is not in this repository.
	ErrSubmodule = errors.New("submodule not readable")
	// ErrTooLarge: the file is bigger than the snapshot's maximum size.
	ErrTooLarge = errors.New("file too large")
)

// SnapshotOption tunes a Snapshot.
type SnapshotOption func(*Snapshot)

// WithMaxFileSize sets the largest file ReadFile and Read return (default
// MaxFileSize).
func WithMaxFileSize(n int64) SnapshotOption {
	return func(s *Snapshot) { s.maxSize = n }
}

// Snapshot is the tree of one commit (or the empty tree) as a read-only
// file system. Paths are slash-separated, relative to the repository root
// and checked with fs.ValidPath: "..", absolute paths and the like are
// rejected with fs.ErrInvalid, so nothing outside the tree can be named.
//
// Symbolic links are never followed: Stat and ReadDir report them with
// fs.ModeSymlink, ReadLink gives their target as text, and Open or ReadFile
// of a link, or of any path going through one, fails with ErrSymlink.
// Submodules are reported with fs.ModeIrregular (so fs.WalkDir does not
// descend into them) and cannot be opened (ErrSubmodule). Stat does not
// follow links either: it behaves like Lstat.
//
// A Snapshot is safe for concurrent use. Object reads go through the
// repository's storage; the repositories returned by Open and Fetch
// serialise them (go-git's storages are not safe for concurrent use),
// while the decoded trees are cached here, immutable once built.
type Snapshot struct {
	st      storer.EncodedObjectStorer
	commit  plumbing.Hash
	root    plumbing.Hash // zero for the empty tree
	when    time.Time
	maxSize int64

	trees *treeCache
	// ahead bounds the goroutines reading subtrees ahead of a walk.
	ahead chan struct{}
}

// treeCache holds decoded trees by hash. The snapshots of a repository
// opened with Open share one (both revisions of a change have most trees
// in common); other snapshots have their own.
type treeCache struct {
	mu   sync.Mutex
	dirs map[plumbing.Hash]*treeSlot
}

func newTreeCache() *treeCache { return &treeCache{dirs: map[plumbing.Hash]*treeSlot{}} }

// treeSlot is a tree being decoded or decoded: concurrent readers of the
// same tree wait for one decoding.
type treeSlot struct {
	done chan struct{}
	d    *dir
	err  error
}

// dir is one decoded tree, immutable once built.
type dir struct {
	entries []object.TreeEntry // sorted by name
}

// find returns the index of the entry called name.
func (d *dir) find(name string) (int, bool) {
	i := sort.Search(len(d.entries), func(i int) bool { return d.entries[i].Name >= name })
	return i, i < len(d.entries) && d.entries[i].Name == name
}

// NewSnapshot returns the file system of commit c of repo. It needs the
// repository (not only the commit) to read object sizes without
// decompressing them.
func NewSnapshot(repo *git.Repository, c *object.Commit, opts ...SnapshotOption) (*Snapshot, error) {
	if c == nil {
		return EmptySnapshot(opts...), nil
	}
	s := &Snapshot{
		st: repo.Storer, commit: c.Hash, root: c.TreeHash, when: c.Committer.When,
		maxSize: MaxFileSize, trees: newTreeCache(),
		ahead: make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	if ss, ok := s.st.(*syncStorage); ok && ss.trees != nil {
		s.trees = ss.trees
	}
	for _, o := range opts {
		o(s)
	}
	if _, err := s.tree(c.TreeHash); err != nil {
		return nil, fmt.Errorf("snapshot of %s: %w", c.Hash, err)
	}
	return s, nil
}

// EmptySnapshot returns the empty tree: a root directory with nothing in it.
func EmptySnapshot(opts ...SnapshotOption) *Snapshot {
	s := &Snapshot{maxSize: MaxFileSize, trees: newTreeCache()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Hash is the commit of the snapshot, plumbing.ZeroHash for the empty tree.
func (s *Snapshot) Hash() plumbing.Hash { return s.commit }

// tree returns the decoded tree h, from the cache when it was read before.
func (s *Snapshot) tree(h plumbing.Hash) (*dir, error) {
	if h.IsZero() {
		return &dir{}, nil
	}
	s.trees.mu.Lock()
	slot, ok := s.trees.dirs[h]
	if ok {
		s.trees.mu.Unlock()
		<-slot.done
		return slot.d, slot.err
	}
	slot = &treeSlot{done: make(chan struct{})}
	s.trees.dirs[h] = slot
	s.trees.mu.Unlock()
	slot.d, slot.err = s.decodeTree(h)
	if slot.err != nil {
		// Not kept: a later call tries again.
		s.trees.mu.Lock()
		delete(s.trees.dirs, h)
		s.trees.mu.Unlock()
	}
	close(slot.done)
	return slot.d, slot.err
}

// readAhead decodes the subtrees of d in the background, while a walk
// (fs.WalkDir over ReadDir) handles d's entries, using the cores a
// sequential walk leaves idle. It never blocks: when every read-ahead
// slot is busy the walk reads the trees itself.
func (s *Snapshot) readAhead(d *dir) {
	var subs []plumbing.Hash
	s.trees.mu.Lock()
	for _, e := range d.entries {
		if e.Mode == filemode.Dir {
			if _, ok := s.trees.dirs[e.Hash]; !ok {
				subs = append(subs, e.Hash)
			}
		}
	}
	s.trees.mu.Unlock()
	if len(subs) == 0 {
		return
	}
	select {
	case s.ahead <- struct{}{}:
	default:
		return
	}
	go func() {
		defer func() { <-s.ahead }()
		for _, h := range subs {
			_, _ = s.tree(h) // errors reach the walk when it reads h
		}
	}()
}

// decodeTree reads and decodes tree h.
func (s *Snapshot) decodeTree(h plumbing.Hash) (*dir, error) {
	var entries []object.TreeEntry
	if o, err := s.st.EncodedObject(plumbing.TreeObject, h); err == nil {
		if fo, ok := o.(*fastObject); ok {
			entries, ok = parseTree(fo.data)
			if !ok {
				entries = nil // malformed: go-git below says how
			}
		}
	}
	if entries == nil {
		t, err := object.GetTree(s.st, h)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", h, err)
		}
		entries = t.Entries
	}
	// The decoded tree is ours alone (decoded afresh). Git orders entries
	// as if directory names ended in '/', which is nearly always plain
	// name order too.
	d := &dir{entries: entries}
	if !sort.SliceIsSorted(d.entries, func(i, j int) bool { return d.entries[i].Name < d.entries[j].Name }) {
		d.entries = append([]object.TreeEntry(nil), entries...)
		sort.Slice(d.entries, func(i, j int) bool { return d.entries[i].Name < d.entries[j].Name })
	}
	return d, nil
}

// lookup finds the entry of a valid path without following links. The root
// "." is returned as a directory entry with the root tree hash.
func (s *Snapshot) lookup(op, name string) (object.TreeEntry, error) {
	if !fs.ValidPath(name) {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: s.root}, nil
	}
	cur := s.root
	for rest := name; ; {
		part, more, last := rest, "", true
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			part, more, last = rest[:i], rest[i+1:], false
		}
		rest = more
		d, err := s.tree(cur)
		if err != nil {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
		}
		idx, ok := d.find(part)
		if !ok {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		e := d.entries[idx]
		if last {
			return e, nil
		}
		switch e.Mode {
		case filemode.Dir:
			cur = e.Hash
		case filemode.Symlink:
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: ErrSymlink}
		case filemode.Submodule:
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: ErrSubmodule}
		default: // a file used as a directory
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
	}
}

// WalkFiles calls fn for every entry of the tree under root ("." for all)
// that is not a directory: files, symbolic links (fs.ModeSymlink) and
// submodules (fs.ModeIrregular), in lexical order like fs.WalkDir, with
// the entry's directory and base name apart so that a caller that only
// looks at names allocates nothing per entry. Directories for which skip
// returns true (given their base name) are not entered. A directory that cannot be read is passed
// to onErr with its path; the walk goes on when onErr returns nil. fn
// returning an error stops the walk with that error, as does ctx. Subtrees
// are read ahead in parallel, as for ReadDir.
func (s *Snapshot) WalkFiles(ctx context.Context, root string, skip func(name string) bool,
	fn func(dir, name string, mode fs.FileMode) error, onErr func(dir string, err error) error) error {
	e, err := s.lookup("walk", root)
	if err != nil {
		return err
	}
	if e.Mode != filemode.Dir {
		return &fs.PathError{Op: "walk", Path: root, Err: errors.New("not a directory")}
	}
	return s.walkFiles(ctx, root, e.Hash, skip, fn, onErr)
}

func (s *Snapshot) walkFiles(ctx context.Context, dirPath string, h plumbing.Hash, skip func(string) bool,
	fn func(dir, name string, mode fs.FileMode) error, onErr func(string, error) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, err := s.tree(h)
	if err != nil {
		return onErr(dirPath, &fs.PathError{Op: "readdir", Path: dirPath, Err: err})
	}
	if s.ahead != nil {
		s.readAhead(d)
	}
	for i := range d.entries {
		e := &d.entries[i]
		switch e.Mode {
		case filemode.Dir:
			if skip != nil && skip(e.Name) {
				continue
			}
			sub := e.Name
			if dirPath != "." {
				sub = dirPath + "/" + e.Name
			}
			if err := s.walkFiles(ctx, sub, e.Hash, skip, fn, onErr); err != nil {
				return err
			}
		default:
			if err := fn(dirPath, e.Name, modeOf(e.Mode)); err != nil {
				return err
			}
		}
	}
	return nil
}

// info builds the FileInfo of an entry; the size of a blob comes from its
// object header, without reading its content.
func (s *Snapshot) info(op, name string, e object.TreeEntry) (*fileInfo, error) {
	fi := &fileInfo{name: path.Base(name), entry: e, mtime: s.when}
	switch e.Mode {
	case filemode.Dir, filemode.Submodule:
	default:
		size, err := s.st.EncodedObjectSize(e.Hash)
		if err != nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("size of blob %s: %w", e.Hash, err)}
		}
		fi.size = size
	}
	return fi, nil
}

// Stat returns the FileInfo of name without following symbolic links.
func (s *Snapshot) Stat(name string) (fs.FileInfo, error) {
	e, err := s.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return s.info("stat", name, e)
}

// Lstat is Stat: a snapshot never follows links.
func (s *Snapshot) Lstat(name string) (fs.FileInfo, error) { return s.Stat(name) }

// ReadLink returns the target of a symbolic link as text, without
// following it.
func (s *Snapshot) ReadLink(name string) (string, error) {
	e, err := s.lookup("readlink", name)
	if err != nil {
		return "", err
	}
	if e.Mode != filemode.Symlink {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	b, err := s.readBlob("readlink", name, e.Hash, s.maxSize)
	return string(b), err
}

// ReadDir lists a directory sorted by name.
func (s *Snapshot) ReadDir(name string) ([]fs.DirEntry, error) {
	e, err := s.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if err := s.openable("readdir", name, e); err != nil {
		return nil, err
	}
	if e.Mode != filemode.Dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	d, err := s.tree(e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	if s.ahead != nil {
		s.readAhead(d)
	}
	out := make([]fs.DirEntry, len(d.entries))
	ents := make([]dirEntry, len(d.entries))
	for i := range d.entries {
		ents[i] = dirEntry{s: s, dir: name, entry: &d.entries[i]}
		out[i] = &ents[i]
	}
	return out, nil
}

// ReadFile returns the content of a regular file. Files bigger than the
// maximum size give an error wrapping ErrTooLarge.
func (s *Snapshot) ReadFile(name string) ([]byte, error) {
	e, err := s.lookup("readfile", name)
	if err != nil {
		return nil, err
	}
	if err := s.openable("readfile", name, e); err != nil {
		return nil, err
	}
	if e.Mode == filemode.Dir {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: errors.New("is a directory")}
	}
	return s.readBlob("readfile", name, e.Hash, s.maxSize)
}

// Open opens a file or directory. File content is read on the first Read.
func (s *Snapshot) Open(name string) (fs.File, error) {
	e, err := s.lookup("open", name)
	if err != nil {
		return nil, err
	}
	if err := s.openable("open", name, e); err != nil {
		return nil, err
	}
	if e.Mode == filemode.Dir {
		fi, err := s.info("open", name, e)
		if err != nil {
			return nil, err
		}
		return &dirFile{s: s, path: name, info: fi}, nil
	}
	// The size is read by Stat, when asked for: a reader that only reads
	// looks the blob up once.
	return &file{s: s, path: name, info: &fileInfo{name: path.Base(name), entry: e, mtime: s.when}}, nil
}

func (s *Snapshot) openable(op, name string, e object.TreeEntry) error {
	switch e.Mode {
	case filemode.Symlink:
		return &fs.PathError{Op: op, Path: name, Err: ErrSymlink}
	case filemode.Submodule:
		return &fs.PathError{Op: op, Path: name, Err: ErrSubmodule}
	}
	return nil
}

func (s *Snapshot) readBlob(op, name string, h plumbing.Hash, limit int64) ([]byte, error) {
	if ss, ok := s.st.(*syncStorage); ok && ss.fast != nil {
		// One lookup, the size checked before inflating, no copy.
		typ, data, err := ss.fast.objectLimit(h, limit)
		switch {
		case err == nil && typ == plumbing.BlobObject:
			return data, nil
		case errors.Is(err, ErrTooLarge):
			return nil, &fs.PathError{Op: op, Path: name, Err: err}
		}
		// Anything else: go-git says what it is.
	}
	size, err := s.st.EncodedObjectSize(h)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("size of blob %s: %w", h, err)}
	}
	if size > limit {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, limit)}
	}
	obj, err := s.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("blob %s: %w", h, err)}
	}
	if fo, ok := obj.(*fastObject); ok && int64(len(fo.data)) <= limit {
		// Read whole by the fast path into a buffer of its own: no copy.
		return fo.data, nil
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("blob %s: %w", h, err)}
	}
	defer r.Close()
	b := make([]byte, 0, size)
	buf := bytes.NewBuffer(b)
	if _, err := io.Copy(buf, io.LimitReader(r, limit+1)); err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("blob %s: %w", h, err)}
	}
	if int64(buf.Len()) > limit {
		return nil, &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%w: over %d bytes", ErrTooLarge, limit)}
	}
	return buf.Bytes(), nil
}

// fileInfo describes one tree entry.
type fileInfo struct {
	name  string
	entry object.TreeEntry
	size  int64
	mtime time.Time
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.size }
func (fi *fileInfo) Mode() fs.FileMode  { return modeOf(fi.entry.Mode) }
func (fi *fileInfo) ModTime() time.Time { return fi.mtime }
func (fi *fileInfo) IsDir() bool        { return fi.entry.Mode == filemode.Dir }

// Sys returns the object.TreeEntry (name, mode and object hash).
func (fi *fileInfo) Sys() any { return fi.entry }

func modeOf(m filemode.FileMode) fs.FileMode {
	switch m {
	case filemode.Dir:
		return fs.ModeDir | 0o555
	case filemode.Symlink:
		return fs.ModeSymlink | 0o777
	case filemode.Submodule:
		return fs.ModeIrregular
	case filemode.Executable:
		return 0o755
	default:
		return 0o644
	}
}

// dirEntry is one entry of ReadDir; its path is joined only when Info
// needs it.
type dirEntry struct {
	s     *Snapshot
	dir   string
	entry *object.TreeEntry // in the immutable dir cache
}

func (d *dirEntry) Name() string      { return d.entry.Name }
func (d *dirEntry) IsDir() bool       { return d.entry.Mode == filemode.Dir }
func (d *dirEntry) Type() fs.FileMode { return modeOf(d.entry.Mode).Type() }
func (d *dirEntry) Info() (fs.FileInfo, error) {
	return d.s.info("stat", path.Join(d.dir, d.entry.Name), *d.entry)
}
func (d *dirEntry) String() string { return fs.FormatDirEntry(d) }

// ContentKey identifies the entry's content by its object hash: entries
// with equal keys have equal bytes (scan.ContentKeyer).
func (d *dirEntry) ContentKey() string { return string(d.entry.Hash[:]) }

// file is an open regular file; its content is read on the first Read,
// its size on the first Stat (from the content when already read).
type file struct {
	s     *Snapshot
	path  string
	info  *fileInfo
	sized bool
	r     *bytes.Reader
}

func (f *file) Stat() (fs.FileInfo, error) {
	if !f.sized && f.r == nil {
		// Readers ask the size to read the content next: read it now,
		// which gives the size without a second look-up. Only a file too
		// large to read is sized apart.
		if b, err := f.s.readBlob("read", f.path, f.info.entry.Hash, f.s.maxSize); err == nil {
			f.r = bytes.NewReader(b)
		}
	}
	if !f.sized {
		if f.r != nil {
			f.info.size = f.r.Size()
		} else {
			fi, err := f.s.info("stat", f.path, f.info.entry)
			if err != nil {
				return nil, err
			}
			f.info.size = fi.size
		}
		f.sized = true
	}
	return f.info, nil
}
func (f *file) Close() error { return nil }
func (f *file) Read(p []byte) (int, error) {
	if f.r == nil {
		b, err := f.s.readBlob("read", f.path, f.info.entry.Hash, f.s.maxSize)
		if err != nil {
			return 0, err
		}
		f.r = bytes.NewReader(b)
	}
	return f.r.Read(p)
}

// dirFile is an open directory.
type dirFile struct {
	s       *Snapshot
	path    string
	info    *fileInfo
	entries []fs.DirEntry
	read    bool
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: errors.New("is a directory")}
}

// ReadDir implements fs.ReadDirFile.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.read {
		es, err := d.s.ReadDir(d.path)
		if err != nil {
			return nil, err
		}
		d.entries, d.read = es, true
	}
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, nil
}

// Interface checks.
var (
	_ fs.ReadFileFS = (*Snapshot)(nil)
	_ fs.ReadDirFS  = (*Snapshot)(nil)
	_ fs.StatFS     = (*Snapshot)(nil)
	_ fs.ReadLinkFS = (*Snapshot)(nil)
)

// parseTree decodes the content of a well-formed tree object with the
// usual modes ("mode name\0" and 20 bytes of hash per entry), names sharing
// one string: the walk of a large tree is dominated by decoding, and
// go-git's decoder reads it byte by byte through a bufio.Reader with an
// allocation per name. ok is false for anything unusual (empty tree,
// other modes, truncation): go-git then decodes it, errors included.
func parseTree(data []byte) (entries []object.TreeEntry, ok bool) {
	if len(data) == 0 {
		return nil, false
	}
	all := string(data) // one allocation for every name
	entries = make([]object.TreeEntry, 0, len(data)/40)
	for i := 0; i < len(all); {
		sp := strings.IndexByte(all[i:], ' ')
		if sp < 0 {
			return nil, false
		}
		var mode filemode.FileMode
		switch all[i : i+sp] {
		case "40000":
			mode = filemode.Dir
		case "100644":
			mode = filemode.Regular
		case "100755":
			mode = filemode.Executable
		case "120000":
			mode = filemode.Symlink
		case "160000":
			mode = filemode.Submodule
		default:
			return nil, false
		}
		i += sp + 1
		nul := strings.IndexByte(all[i:], 0)
		if nul <= 0 || i+nul+1+hashLen > len(all) {
			return nil, false
		}
		e := object.TreeEntry{Name: all[i : i+nul], Mode: mode}
		i += nul + 1
		copy(e.Hash[:], data[i:i+hashLen])
		i += hashLen
		entries = append(entries, e)
	}
	return entries, true
}
