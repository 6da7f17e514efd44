package change

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/klauspost/compress/zlib"
)

// errIndexTooLarge: a delta's result is bigger than the indexer resolves
// in memory; go-git's indexer (which inflates every object) takes over.
var errIndexTooLarge = errors.New("delta object too large to index in bounded memory")

// indexPack writes the version 2 index of the packfile at packPath, in
// bounded memory: unlike go-git's indexer, which inflates every object
// into a buffer to hash it, whole objects are hashed as they stream
// through the inflater, so a blob of any size costs a 64 KiB buffer. Only
// deltas are resolved in memory (their result must be hashed), through
// the fast path's delta reader, up to maxFastObject bytes; a bigger one
// gives errIndexTooLarge.
//
// The pack may be thin: a REF_DELTA whose base is not in the pack is
// resolved with base, the reader of the repository's existing objects,
// and the pack is kept as it is (the fast path resolves such bases across
// packs). It returns the pack's checksum.
func indexPack(packPath string, idx io.Writer, base *objectReader) (plumbing.Hash, error) {
	f, err := os.Open(packPath)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer f.Close()
	cr := &countingReader{r: bufio.NewReaderSize(f, 64<<10), sum: sha1.New()}
	var head [12]byte
	if _, err := io.ReadFull(cr, head[:]); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("pack header: %w", err)
	}
	if !bytes.Equal(head[:4], []byte("PACK")) {
		return plumbing.ZeroHash, errors.New("not a packfile")
	}
	if v := binary.BigEndian.Uint32(head[4:8]); v != 2 && v != 3 {
		return plumbing.ZeroHash, fmt.Errorf("unsupported pack version %d", v)
	}
	count := binary.BigEndian.Uint32(head[8:12])
	w := new(idxfile.Writer)
	if err := w.OnHeader(count); err != nil {
		return plumbing.ZeroHash, err
	}
	type delta struct {
		off int64
		crc uint32
	}
	var deltas []delta
	byHash := make(map[plumbing.Hash]int64, min(count, 1<<20))
	var z io.ReadCloser
	buf := make([]byte, 32<<10)
	for range count {
		off := cr.n
		cr.crc = 0
		c, err := cr.ReadByte()
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("object at %d: %w", off, err)
		}
		typ := plumbing.ObjectType((c >> 4) & 7)
		size := int64(c & 15)
		for shift := 4; c&0x80 != 0; shift += 7 {
			if shift > 57 {
				return plumbing.ZeroHash, fmt.Errorf("object at %d: size overflows", off)
			}
			if c, err = cr.ReadByte(); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("object at %d: %w", off, err)
			}
			size |= int64(c&0x7f) << shift
		}
		switch typ {
		case plumbing.OFSDeltaObject:
			for {
				if c, err = cr.ReadByte(); err != nil {
					return plumbing.ZeroHash, fmt.Errorf("object at %d: %w", off, err)
				}
				if c&0x80 == 0 {
					break
				}
			}
		case plumbing.REFDeltaObject:
			var ref [20]byte
			if _, err := io.ReadFull(cr, ref[:]); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("object at %d: %w", off, err)
			}
		case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		default:
			return plumbing.ZeroHash, fmt.Errorf("object at %d: bad type %d", off, typ)
		}
		if z == nil {
			if z, err = zlib.NewReader(cr); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("object at %d: %w", off, err)
			}
		} else if err := z.(zlib.Resetter).Reset(cr, nil); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("object at %d: %w", off, err)
		}
		var dst io.Writer = io.Discard
		var h hash.Hash
		if !typ.IsDelta() {
			h = sha1.New()
			h.Write([]byte(typ.String() + " " + strconv.FormatInt(size, 10) + "\x00"))
			dst = h
		}
		n, err := io.CopyBuffer(dst, z, buf)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("inflate object at %d: %w", off, err)
		}
		if n != size {
			return plumbing.ZeroHash, fmt.Errorf("object at %d: %d bytes inflated, header says %d", off, n, size)
		}
		if typ.IsDelta() {
			deltas = append(deltas, delta{off, cr.crc})
			continue
		}
		var sum plumbing.Hash
		copy(sum[:], h.Sum(nil))
		byHash[sum] = off
		w.Add(sum, uint64(off), cr.crc)
	}
	want := cr.sum.Sum(nil)
	var trailer [20]byte
	if _, err := io.ReadFull(cr.r, trailer[:]); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("pack trailer: %w", err)
	}
	if !bytes.Equal(want, trailer[:]) {
		return plumbing.ZeroHash, errors.New("pack checksum mismatch")
	}
	var packSum plumbing.Hash
	copy(packSum[:], trailer[:])

	if len(deltas) > 0 {
		data, err := mapFile(packPath)
		if err != nil || data.mapped() == nil {
			return plumbing.ZeroHash, fmt.Errorf("%w: pack not mapped", errIndexTooLarge)
		}
		p := &pack{data: data, pending: byHash}
		r := &objectReader{cache: newBaseCache(32 << 20), packs: []*pack{p}}
		if base != nil {
			r.dir = base.dir
			r.packs = append(r.packs, base.packs...)
		}
		// A REF_DELTA's base may come later in the pack: resolve what can
		// be, then again, until nothing is left or nothing moves.
		for len(deltas) > 0 {
			var left []delta
			for _, d := range deltas {
				typ, content, err := r.packed(p, d.off, 0, maxFastObject)
				if errors.Is(err, errFastMiss) {
					left = append(left, d)
					continue
				}
				if err != nil {
					return plumbing.ZeroHash, fmt.Errorf("resolve delta at %d: %w", d.off, err)
				}
				sum := plumbing.ComputeHash(typ, content)
				byHash[sum] = d.off
				w.Add(sum, uint64(d.off), d.crc)
			}
			if len(left) == len(deltas) {
				return plumbing.ZeroHash, fmt.Errorf("%w (or its base is missing): %d deltas left", errIndexTooLarge, len(left))
			}
			deltas = left
		}
	}
	if err := w.OnFooter(packSum); err != nil {
		return plumbing.ZeroHash, err
	}
	mi, err := w.Index()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := idxfile.NewEncoder(idx).Encode(mi); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write pack index: %w", err)
	}
	return packSum, nil
}

// countingReader counts the bytes read through it and sums them (SHA-1
// of the whole pack, CRC-32 of the current object). It is an
// io.ByteReader, so the inflater reads no further than each stream.
type countingReader struct {
	r   *bufio.Reader
	n   int64
	crc uint32
	sum hash.Hash
	one [1]byte
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	c.sum.Write(p[:n])
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err != nil {
		return 0, err
	}
	c.n++
	c.one[0] = b
	c.crc = crc32.Update(c.crc, crc32.IEEETable, c.one[:])
	c.sum.Write(c.one[:])
	return b, nil
}
