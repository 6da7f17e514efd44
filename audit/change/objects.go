package change

import (
	"bytes"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	// klauspost's zlib is a drop-in for compress/zlib that inflates
	// faster; inflating the small objects of a pack is most of an audit.
	"github.com/klauspost/compress/zlib"
)

// objectReader reads the objects of a repository's packfiles and loose
// object files without any shared mutable state but a small, locked cache
// of delta bases, so that many goroutines decompress objects at once. It
// is the fast path of syncStorage: whatever it cannot serve (objects added
// after it was built, alternates, unusual encodings, big blobs) it reports
// as errFastMiss, and go-git's storage, behind the lock, serves it.
//
// Packfiles and their .idx files are memory-mapped (no system call per
// object; on platforms without mmap the fast path serves loose objects
// only), and the indexes are searched in place.
type objectReader struct {
	dir   string // the objects directory
	packs []*pack
	cache *baseCache
	zpool sync.Pool // *inflater
}

// pack is one packfile and its index.
type pack struct {
	idx  packIndex
	data packData
	// idxFile holds the memory map idx points into: the map is released
	// when no pack refers to it.
	idxFile packData
	// pending, set while a new pack is being indexed (indexPack), maps
	// the objects hashed so far to their offsets, in place of idx.
	pending map[plumbing.Hash]int64
}

// packIndex is a version 2 pack index (.idx) read in place: the object
// names, sorted, with their offsets. Nothing is decoded up front (git's
// layout is searched as it is), so opening a repository costs no more for
// a pack of many objects.
type packIndex struct {
	fanout [256]uint32 // fanout[b]: number of names whose first byte is <= b
	names  []byte      // 20 bytes per object, sorted
	off32  []byte      // 4 bytes per object; the high bit points into off64
	off64  []byte      // 8 bytes per large offset
}

// parsePackIndex checks the layout of a version 2 index and returns it.
func parsePackIndex(b []byte) (packIndex, error) {
	var ix packIndex
	const head = 8 + 256*4
	if len(b) < head+2*hashLen || !bytes.Equal(b[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return ix, errors.New("not a version 2 pack index")
	}
	prev := uint32(0)
	for i := range ix.fanout {
		v := binary.BigEndian.Uint32(b[8+4*i:])
		if v < prev {
			return ix, errors.New("pack index: fanout table out of order")
		}
		ix.fanout[i], prev = v, v
	}
	n := uint64(ix.fanout[255])
	end := uint64(len(b)) - 2*hashLen // before the pack and index checksums
	if uint64(head)+n*(hashLen+4+4) > end {
		return ix, errors.New("pack index: truncated")
	}
	at := uint64(head)
	ix.names = b[at : at+n*hashLen]
	at += n * hashLen
	at += n * 4 // CRC32s
	ix.off32 = b[at : at+n*4]
	at += n * 4
	ix.off64 = b[at:end]
	return ix, nil
}

// find returns the offset of h in the pack.
func (p *pack) find(h plumbing.Hash) (int64, bool) {
	if p.pending != nil {
		off, ok := p.pending[h]
		return off, ok
	}
	ix := &p.idx
	lo := uint32(0)
	if h[0] > 0 {
		lo = ix.fanout[h[0]-1]
	}
	hi := ix.fanout[h[0]]
	for lo < hi {
		m := lo + (hi-lo)/2
		switch c := bytes.Compare(ix.names[int(m)*hashLen:int(m+1)*hashLen], h[:]); {
		case c < 0:
			lo = m + 1
		case c > 0:
			hi = m
		default:
			ofs := binary.BigEndian.Uint32(ix.off32[int(m)*4:])
			if ofs&0x80000000 == 0 {
				return int64(ofs), true
			}
			at := 8 * uint64(ofs&0x7fffffff)
			if l := uint64(len(ix.off64)); l < 8 || at > l-8 {
				return 0, false
			}
			off := binary.BigEndian.Uint64(ix.off64[at:])
			return int64(off), off < 1<<62
		}
	}
	return 0, false
}

// hashLen is the length of a SHA-1 object name.
const hashLen = 20

// packData is the content of a packfile.
type packData interface {
	io.ReaderAt
	// mapped is the whole file when it is memory-mapped, else nil.
	mapped() []byte
}

// errFastMiss: the fast path cannot serve the object; go-git will.
var errFastMiss = errors.New("object not served by the fast path")

// maxFastObject is the largest object the fast path inflates: bigger ones
// go to go-git, which streams them.
const maxFastObject = 32 << 20

// maxDeltaChain bounds delta resolution (git's own packs stay under 4096).
const maxDeltaChain = 10000

// newObjectReader opens the packfiles of the objects directory dir. A pack
// it cannot read is left to go-git.
func newObjectReader(dir string) *objectReader {
	r := &objectReader{dir: dir, cache: newBaseCache(16 << 20)}
	idxs, _ := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
	for _, ip := range idxs {
		p, err := openPack(ip, strings.TrimSuffix(ip, ".idx")+".pack")
		if err != nil {
			continue
		}
		r.packs = append(r.packs, p)
	}
	return r
}

func openPack(idxPath, packPath string) (*pack, error) {
	var b []byte
	idxFile, err := mapFile(idxPath)
	if err == nil && idxFile.mapped() != nil {
		b = idxFile.mapped()
	} else if b, err = os.ReadFile(idxPath); err != nil {
		return nil, err
	}
	idx, err := parsePackIndex(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", idxPath, err)
	}
	data, err := mapFile(packPath)
	if err != nil {
		return nil, err
	}
	return &pack{idx: idx, data: data, idxFile: idxFile}, nil
}

// object returns the type and content of h.
func (r *objectReader) object(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	return r.objectLimit(h, maxFastObject)
}

// objectLimit is object for objects of at most limit bytes; a bigger one
// gives an error wrapping ErrTooLarge, found before its content is
// inflated.
func (r *objectReader) objectLimit(h plumbing.Hash, limit int64) (plumbing.ObjectType, []byte, error) {
	limit = min(limit, maxFastObject)
	for _, p := range r.packs {
		off, ok := p.find(h)
		if !ok {
			continue
		}
		return r.packed(p, off, 0, limit)
	}
	return r.loose(h, false, limit)
}

// has reports whether h is in one of the packs.
func (r *objectReader) has(h plumbing.Hash) bool {
	for _, p := range r.packs {
		if _, ok := p.find(h); ok {
			return true
		}
	}
	return false
}

// size returns the type and size of h, inflating at most the header of a
// delta.
func (r *objectReader) size(h plumbing.Hash) (int64, error) {
	for _, p := range r.packs {
		off, ok := p.find(h)
		if !ok {
			continue
		}
		return r.packedSize(p, off)
	}
	_, b, err := r.loose(h, true, 0)
	if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n, nil
}

// header is the header of a packed object.
type header struct {
	typ     plumbing.ObjectType
	size    int64 // inflated size (of the delta itself for deltas)
	dataOff int64 // where the compressed data starts
	baseOff int64 // OFS_DELTA: offset of the base
	baseRef plumbing.Hash
}

func readHeader(p *pack, off int64) (header, error) {
	var buf [32]byte
	n, err := p.data.ReadAt(buf[:], off)
	if n == 0 && err != nil {
		return header{}, err
	}
	b := buf[:n]
	i := 0
	next := func() (byte, bool) {
		if i >= len(b) {
			return 0, false
		}
		c := b[i]
		i++
		return c, true
	}
	c, ok := next()
	if !ok {
		return header{}, errFastMiss
	}
	h := header{typ: plumbing.ObjectType((c >> 4) & 7), size: int64(c & 15)}
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 57 {
			return header{}, errFastMiss
		}
		if c, ok = next(); !ok {
			return header{}, errFastMiss
		}
		h.size |= int64(c&0x7f) << shift
	}
	switch h.typ {
	case plumbing.OFSDeltaObject:
		c, ok := next()
		if !ok {
			return header{}, errFastMiss
		}
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if c, ok = next(); !ok || rel > 1<<55 {
				return header{}, errFastMiss
			}
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		h.baseOff = off - rel
		if h.baseOff <= 0 || h.baseOff >= off {
			return header{}, errFastMiss
		}
	case plumbing.REFDeltaObject:
		if i+20 > len(b) {
			return header{}, errFastMiss
		}
		copy(h.baseRef[:], b[i:i+20])
		i += 20
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return header{}, errFastMiss
	}
	h.dataOff = off + int64(i)
	return h, nil
}

// packedSize is the size of the object at off: for a delta, the result
// size written at the start of the delta, so no base is read.
func (r *objectReader) packedSize(p *pack, off int64) (int64, error) {
	h, err := readHeader(p, off)
	if err != nil {
		return 0, err
	}
	if !h.typ.IsDelta() {
		return h.size, nil
	}
	return r.deltaSize(p, h)
}

// deltaSize reads the result size from the header of a delta.
func (r *objectReader) deltaSize(p *pack, h header) (int64, error) {
	var head [20]byte
	n, err := r.inflate(p, h.dataOff, head[:min(int64(len(head)), h.size)])
	if err != nil && n == 0 {
		return 0, err
	}
	_, rest, ok := leb128(head[:n])
	if !ok {
		return 0, errFastMiss
	}
	size, _, ok := leb128(rest)
	if !ok || size > 1<<62 {
		return 0, errFastMiss
	}
	return int64(size), nil
}

// packed returns the object at off, resolving deltas.
//
// An object bigger than limit gives an error wrapping ErrTooLarge; the size
// is checked from the object's header, or for a delta from the result size
// the delta starts with, before any base is read.
func (r *objectReader) packed(p *pack, off int64, depth int, limit int64) (plumbing.ObjectType, []byte, error) {
	if depth > maxDeltaChain {
		return 0, nil, errFastMiss
	}
	if t, b, ok := r.cache.get(p, off); ok {
		if int64(len(b)) > limit {
			return 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(b), limit)
		}
		if depth == 0 {
			// The caller owns what it gets; the cache keeps its copy.
			b = bytes.Clone(b)
		}
		return t, b, nil
	}
	h, err := readHeader(p, off)
	if err != nil {
		return 0, nil, err
	}
	if !h.typ.IsDelta() && h.size > limit {
		return 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, h.size, limit)
	}
	if h.size > maxFastObject {
		return 0, nil, errFastMiss
	}
	data := make([]byte, h.size)
	if n, err := r.inflate(p, h.dataOff, data); n != len(data) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, fmt.Errorf("inflate object at %d: %w", off, err)
	}
	if !h.typ.IsDelta() {
		r.keep(p, off, depth, h.typ, data)
		return h.typ, data, nil
	}
	_, rest, ok := leb128(data)
	if !ok {
		return 0, nil, errFastMiss
	}
	if size, _, ok := leb128(rest); !ok {
		return 0, nil, errFastMiss
	} else if size > uint64(limit) {
		return 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, limit)
	}
	var (
		bt   plumbing.ObjectType
		base []byte
	)
	if h.typ == plumbing.OFSDeltaObject {
		bt, base, err = r.packed(p, h.baseOff, depth+1, maxFastObject)
		if err == nil {
			r.cache.put(p, h.baseOff, bt, base)
		}
	} else {
		bt, base, err = r.objectLimit(h.baseRef, maxFastObject)
	}
	if err != nil {
		return 0, nil, err
	}
	if len(base) == 0 {
		return 0, nil, errFastMiss // PatchDelta refuses empty bases
	}
	out, err := packfile.PatchDelta(base, data)
	if err != nil {
		return 0, nil, fmt.Errorf("apply delta at %d: %w", off, err)
	}
	if len(out) > maxFastObject {
		return 0, nil, errFastMiss
	}
	r.keep(p, off, depth, bt, out)
	return bt, out, nil
}

// keep caches a copy of an object read at the top of a delta chain
// (depth 0), which the caller owns: the objects a caller reads together,
// such as the files of one directory, are often delta bases of one
// another, and each one not cached is inflated and patched again when it
// is reached as a base. Bases read deeper in a chain are cached by
// packed itself.
func (r *objectReader) keep(p *pack, off int64, depth int, t plumbing.ObjectType, data []byte) {
	if depth == 0 {
		r.cache.put(p, off, t, bytes.Clone(data))
	}
}

// inflate decompresses the zlib stream at off into dst, filling it.
func (r *objectReader) inflate(p *pack, off int64, dst []byte) (int, error) {
	m := p.data.mapped()
	if off >= int64(len(m)) {
		return 0, io.ErrUnexpectedEOF
	}
	// A bytes.Reader is an io.ByteReader: flate reads no further than the
	// stream and adds no buffering of its own.
	src := bytes.NewReader(m[off:])
	z, _ := r.zpool.Get().(io.ReadCloser)
	if z == nil {
		var err error
		if z, err = zlib.NewReader(src); err != nil {
			return 0, err
		}
	} else if err := z.(zlib.Resetter).Reset(src, nil); err != nil {
		return 0, err
	}
	defer r.zpool.Put(z)
	return io.ReadFull(z, dst)
}

// loose reads a loose object; with headerOnly, the returned bytes are the
// decimal size from its header.
func (r *objectReader) loose(h plumbing.Hash, headerOnly bool, limit int64) (plumbing.ObjectType, []byte, error) {
	s := h.String()
	f, err := os.Open(filepath.Join(r.dir, s[:2], s[2:]))
	if err != nil {
		return 0, nil, errFastMiss
	}
	defer f.Close()
	z, err := zlib.NewReader(f)
	if err != nil {
		return 0, nil, errFastMiss
	}
	defer z.Close()
	var hdr [64]byte
	n, _ := io.ReadFull(z, hdr[:])
	nul := bytes.IndexByte(hdr[:n], 0)
	if nul < 0 {
		return 0, nil, errFastMiss
	}
	typName, sizeText, ok := strings.Cut(string(hdr[:nul]), " ")
	if !ok {
		return 0, nil, errFastMiss
	}
	t, err := plumbing.ParseObjectType(typName)
	if err != nil {
		return 0, nil, errFastMiss
	}
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || size < 0 {
		return 0, nil, errFastMiss
	}
	if headerOnly {
		return t, []byte(sizeText), nil
	}
	if size > limit {
		return 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, limit)
	}
	data := make([]byte, size)
	got := copy(data, hdr[nul+1:n])
	if int64(got) < size {
		if _, err := io.ReadFull(z, data[got:]); err != nil {
			return 0, nil, fmt.Errorf("read loose object %s: %w", s, err)
		}
	}
	return t, data, nil
}

// leb128 decodes the little-endian base-128 sizes of a delta header.
func leb128(b []byte) (uint64, []byte, bool) {
	var v uint64
	for i, shift := 0, 0; i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		v |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return v, b[i+1:], true
		}
	}
	return 0, nil, false
}

// baseCache keeps recently used delta bases, bounded in bytes.
type baseCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *cacheEntry, most recent first
	byKey map[cacheKey]*list.Element
}

type cacheKey struct {
	p   *pack
	off int64
}

type cacheEntry struct {
	key  cacheKey
	typ  plumbing.ObjectType
	data []byte
}

func newBaseCache(max int) *baseCache {
	return &baseCache{max: max, order: list.New(), byKey: map[cacheKey]*list.Element{}}
}

// get returns a cached object; its bytes are shared and must not be
// modified.
func (c *baseCache) get(p *pack, off int64) (plumbing.ObjectType, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[cacheKey{p, off}]
	if !ok {
		return 0, nil, false
	}
	c.order.MoveToFront(e)
	ce := e.Value.(*cacheEntry)
	return ce.typ, ce.data, true
}

func (c *baseCache) put(p *pack, off int64, t plumbing.ObjectType, data []byte) {
	if len(data) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := cacheKey{p, off}
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.order.PushFront(&cacheEntry{key: k, typ: t, data: data})
	c.size += len(data)
	for c.size > c.max {
		last := c.order.Back()
		ce := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.byKey, ce.key)
		c.size -= len(ce.data)
	}
}
