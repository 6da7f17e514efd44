package change

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/auditbot/auditbot/audit/benchrepo"
)

// TestObjectReaderMatchesGoGit reads every object of a repository made by
// git itself (a fast-import pack with delta chains, plus loose objects)
// through the lock-free fast path and through go-git, and requires the same
// type, size and content: the fast path must never change what is read.
func TestObjectReaderMatchesGoGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, _, err := benchrepo.Generate(t.Context(), dir, benchrepo.Config{Files: 300, Commits: 40, ServiceFiles: 60, NoCheckout: true}); err != nil {
		t.Fatal(err)
	}
	// Loose objects next to the pack.
	for _, content := range []string{"loose one\n", strings.Repeat("loose two\n", 500), ""} {
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(content)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("hash-object: %v: %s", err, out)
		}
	}
	plain, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	fast := newObjectReader(filepath.Join(dir, ".git", "objects"))
	if len(fast.packs) != 1 {
		t.Fatalf("fast path opened %d packs, want 1", len(fast.packs))
	}
	memIdx := decodeIndex(t, dir)
	it, err := plain.Storer.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	var objects, deltas, loose int
	err = it.ForEach(func(o plumbing.EncodedObject) error {
		objects++
		h := o.Hash()
		r, err := o.Reader()
		if err != nil {
			return err
		}
		want, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return err
		}
		typ, got, err := fast.object(h)
		if err != nil {
			t.Errorf("%s: fast path: %v", h, err)
			return nil
		}
		if typ != o.Type() || !bytes.Equal(got, want) {
			t.Errorf("%s: fast path gives %s of %d bytes, go-git %s of %d bytes", h, typ, len(got), o.Type(), len(want))
		}
		if o.Type() == plumbing.TreeObject && len(want) > 0 {
			tree, err := object.DecodeTree(plain.Storer, o)
			if err != nil {
				return err
			}
			entries, ok := parseTree(want)
			if !ok || fmt.Sprint(entries) != fmt.Sprint(tree.Entries) {
				t.Errorf("tree %s: parseTree = %v (%v), go-git = %v", h, entries, ok, tree.Entries)
			}
		}
		size, err := fast.size(h)
		if err != nil || size != int64(len(want)) {
			t.Errorf("%s: fast size = %d (%v), want %d", h, size, err, len(want))
		}
		if len(want) > 0 {
			_, _, err := fast.objectLimit(h, int64(len(want))-1)
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: objectLimit below its size: %v, want ErrTooLarge", h, err)
			}
		}
		wantOff, err := memIdx.FindOffset(h)
		if off, ok := fast.packs[0].find(h); ok != (err == nil) || (ok && off != wantOff) {
			t.Errorf("%s: find = %d %v, idxfile: %d %v", h, off, ok, wantOff, err)
		}
		if off, ok := fast.packs[0].find(h); ok {
			if hd, err := readHeader(fast.packs[0], off); err == nil && hd.typ.IsDelta() {
				deltas++
			}
		} else {
			loose++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if deltas == 0 || loose < 3 {
		t.Fatalf("the repository does not exercise the fast path: %d objects, %d deltas, %d loose", objects, deltas, loose)
	}
	if _, _, err := fast.object(plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
		t.Error("a missing object was served")
	}
}

// TestOpenServesObjectsWrittenLater: an object written after Open (not in
// the fast path's pack list) is still read, through go-git.
func TestOpenServesObjectsWrittenLater(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, _, err := benchrepo.Generate(t.Context(), dir, benchrepo.Config{Files: 20, Commits: 2, ServiceFiles: 5, NoCheckout: true}); err != nil {
		t.Fatal(err)
	}
	repo, _, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "hash-object", "-w", "--stdin")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("written later\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	h := plumbing.NewHash(strings.TrimSpace(string(out)))
	blob, err := repo.BlobObject(h)
	if err != nil {
		t.Fatalf("blob written after Open: %v", err)
	}
	if blob.Size != int64(len("written later\n")) {
		t.Fatalf("size %d", blob.Size)
	}
}

// TestDiffTreesMatchesGoGit compares Changes' own tree walk with go-git's
// object.DiffTree on pairs of commits far apart (many directories changed,
// files added) and on the root commit against the empty tree.
func TestDiffTreesMatchesGoGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, _, err := benchrepo.Generate(t.Context(), dir, benchrepo.Config{Files: 200, Commits: 30, ServiceFiles: 40, NoCheckout: true}); err != nil {
		t.Fatal(err)
	}
	repo, _, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{"HEAD~1..HEAD", "HEAD~20..HEAD", "HEAD..HEAD~25", "HEAD~30"} {
		r, err := Resolve(t.Context(), repo, spec)
		if err != nil {
			t.Fatal(err)
		}
		var from *object.Tree
		if r.Base != nil {
			if from, err = r.Base.Tree(); err != nil {
				t.Fatal(err)
			}
		}
		to, err := r.Head.Tree()
		if err != nil {
			t.Fatal(err)
		}
		want, err := object.DiffTree(from, to)
		if err != nil {
			t.Fatal(err)
		}
		got, err := diffTrees(t.Context(), repo.Storer, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := changeList(t, got), changeList(t, want); g != w {
			t.Errorf("%s: diffTrees gives\n%s\ngo-git gives\n%s", spec, g, w)
		}
		if len(want) == 0 {
			t.Errorf("%s: no change to compare", spec)
		}
	}
}

// TestParseTreeLeavesOddTreesToGoGit: malformed trees and unusual modes
// are not decoded by the fast parser.
func TestParseTreeLeavesOddTreesToGoGit(t *testing.T) {
	h := strings.Repeat("\x01", 20)
	for _, data := range []string{
		"",
		"100644 a\x00" + h[:10],        // truncated hash
		"100664 a\x00" + h,             // old group-writable mode
		"100644 \x00" + h,              // empty name
		"100644a\x00" + h,              // no space
		"100644 a\x00" + h + "40000 b", // truncated second entry
	} {
		if e, ok := parseTree([]byte(data)); ok {
			t.Errorf("parseTree(%q) = %v, want it left to go-git", data, e)
		}
	}
	e, ok := parseTree([]byte("100644 a\x00" + h + "40000 d\x00" + h))
	if !ok || len(e) != 2 || e[0].Name != "a" || e[1].Name != "d" || e[0].Mode != filemode.Regular || e[1].Mode != filemode.Dir || e[1].Hash[0] != 1 {
		t.Errorf("parseTree of a two-entry tree = %v, %v", e, ok)
	}
}

func changeList(t *testing.T, cs object.Changes) string {
	t.Helper()
	var lines []string
	for _, c := range cs {
		f, err := fileOf(c)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s %s", f.Status, f.Path, f.OldPath, f.OldHash, f.NewHash))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestWalkFilesMatchesWalkDir: WalkFiles reports exactly the entries that
// are not directories that fs.WalkDir finds (a symbolic link and a
// submodule included), in the same order and with the same types, and
// skips the directories it is told to.
func TestWalkFilesMatchesWalkDir(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, _, err := benchrepo.Generate(t.Context(), dir, benchrepo.Config{Files: 300, Commits: 5, ServiceFiles: 60, NoCheckout: true}); err != nil {
		t.Fatal(err)
	}
	// A commit with a symbolic link and a submodule (gitlink) in the
	// service, made without a work tree.
	gitIn := func(stdin string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	gitIn("", "read-tree", "HEAD")
	link := gitIn("index.js", "hash-object", "-w", "--stdin")
	gitIn("", "update-index", "--add", "--cacheinfo", "120000,"+link+",services/core/link")
	gitIn("", "update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("1", 40)+",services/core/vendor/sub")
	tree := gitIn("", "write-tree")
	commit := gitIn("links\n", "commit-tree", tree, "-p", "HEAD")
	gitIn("", "update-ref", "HEAD", commit)
	repo, _, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(t.Context(), repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := NewSnapshot(repo, r.Head)
	if err != nil {
		t.Fatal(err)
	}
	skip := func(name string) bool { return name == "docs" || name == "mod0" }
	for _, root := range []string{".", "services/core"} {
		var want, got []string
		err := fs.WalkDir(snap, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != root && skip(d.Name()) {
				return fs.SkipDir
			}
			if !d.IsDir() {
				want = append(want, fmt.Sprintf("%s %v", p, d.Type()))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = snap.WalkFiles(t.Context(), root, skip, func(dir, name string, mode fs.FileMode) error {
			got = append(got, fmt.Sprintf("%s %v", path.Join(dir, name), mode.Type()))
			return nil
		}, func(dir string, err error) error { return err })
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) == 0 {
			t.Errorf("WalkFiles(%q) found %d entries, fs.WalkDir %d:\n%s\n--\n%s", root, len(got), len(want),
				strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if root == "." && !strings.Contains(strings.Join(got, "\n"), "services/core/link L") ||
			!strings.Contains(strings.Join(got, "\n"), "services/core/vendor/sub ?") {
			t.Errorf("WalkFiles(%q) misses the symbolic link or the submodule", root)
		}
	}
}

// TestObjectReaderKeepsWhatItReads: an object read at the top of a delta
// chain stays in the base cache (files read together are often delta bases
// of one another, and each miss inflates and patches the object again),
// and the cache keeps its own copy, so that a caller changing the bytes it
// got changes nothing read later.
func TestObjectReaderKeepsWhatItReads(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, _, err := benchrepo.Generate(t.Context(), dir, benchrepo.Config{Files: 100, Commits: 10, ServiceFiles: 30, NoCheckout: true}); err != nil {
		t.Fatal(err)
	}
	fast := newObjectReader(filepath.Join(dir, ".git", "objects"))
	if len(fast.packs) != 1 {
		t.Fatalf("fast path opened %d packs, want 1", len(fast.packs))
	}
	p := fast.packs[0]
	var plainObj, deltaObj plumbing.Hash
	entries, err := decodeIndex(t, dir).Entries()
	if err != nil {
		t.Fatal(err)
	}
	defer entries.Close()
	for {
		e, err := entries.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		hd, err := readHeader(p, int64(e.Offset))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case hd.typ == plumbing.BlobObject && hd.size > 0 && plainObj.IsZero():
			plainObj = e.Hash
		case hd.typ.IsDelta() && deltaObj.IsZero():
			deltaObj = e.Hash
		}
	}
	if plainObj.IsZero() || deltaObj.IsZero() {
		t.Fatalf("the pack has no plain blob (%s) or no delta (%s)", plainObj, deltaObj)
	}
	for _, h := range []plumbing.Hash{plainObj, deltaObj} {
		off, _ := p.find(h)
		if _, _, ok := fast.cache.get(p, off); ok {
			t.Fatalf("%s is cached before it is read", h)
		}
		_, got, err := fast.object(h)
		if err != nil || len(got) == 0 {
			t.Fatalf("%s: %d bytes, %v", h, len(got), err)
		}
		want := bytes.Clone(got)
		if _, _, ok := fast.cache.get(p, off); !ok {
			t.Errorf("%s: not cached after it was read", h)
		}
		got[0] ^= 0xff
		if _, again, err := fast.object(h); err != nil || !bytes.Equal(again, want) {
			t.Errorf("%s: read again after the caller changed its bytes: %q (%v), want %q", h, again, err, want)
		}
	}
}

// decodeIndex decodes the pack index of the repository at dir (which has
// one pack) with go-git, to check the fast path against it.
func decodeIndex(t *testing.T, dir string) *idxfile.MemoryIndex {
	t.Helper()
	idxs, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))
	if err != nil || len(idxs) != 1 {
		t.Fatalf("want one pack index in %s: %v %v", dir, idxs, err)
	}
	b, err := os.ReadFile(idxs[0])
	if err != nil {
		t.Fatal(err)
	}
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bytes.NewReader(b)).Decode(idx); err != nil {
		t.Fatal(err)
	}
	return idx
}

// buildIndex writes a version 2 pack index of names (sorted) at offsets,
// offsets of 2 GiB and more going to the 64-bit table as git writes them.
func buildIndex(names []plumbing.Hash, offsets []uint64) []byte {
	b := []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}
	var fan [256]uint32
	for _, h := range names {
		for i := int(h[0]); i < 256; i++ {
			fan[i]++
		}
	}
	for _, v := range fan {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	for _, h := range names {
		b = append(b, h[:]...)
	}
	b = append(b, make([]byte, 4*len(names))...) // CRC32s
	var big []byte
	for _, o := range offsets {
		if o < 1<<31 {
			b = binary.BigEndian.AppendUint32(b, uint32(o))
			continue
		}
		b = binary.BigEndian.AppendUint32(b, 0x80000000|uint32(len(big)/8))
		big = binary.BigEndian.AppendUint64(big, o)
	}
	b = append(b, big...)
	return append(b, make([]byte, 2*hashLen)...) // checksums
}

// TestPackIndex: the index is searched in place as git lays it out, large
// offsets included, and a malformed index is refused (the pack is then
// left to go-git) rather than misread.
func TestPackIndex(t *testing.T) {
	names := []plumbing.Hash{mustHash("00" + strings.Repeat("1", 38)), mustHash("7f" + strings.Repeat("2", 38)), mustHash("7f" + strings.Repeat("3", 38)), mustHash("ff" + strings.Repeat("4", 38))}
	offsets := []uint64{12, 1 << 33, 4096, 1<<31 + 5}
	good := buildIndex(names, offsets)
	ix, err := parsePackIndex(good)
	if err != nil {
		t.Fatal(err)
	}
	p := &pack{idx: ix}
	for i, h := range names {
		if off, ok := p.find(h); !ok || uint64(off) != offsets[i] {
			t.Errorf("find(%s) = %d, %v; want %d", h, off, ok, offsets[i])
		}
	}
	for _, h := range []plumbing.Hash{mustHash(strings.Repeat("0", 40)), mustHash("7f" + strings.Repeat("25", 19)), mustHash(strings.Repeat("f", 40))} {
		if off, ok := p.find(h); ok {
			t.Errorf("find(%s) = %d for a missing object", h, off)
		}
	}
	badFanout := bytes.Clone(good)
	binary.BigEndian.PutUint32(badFanout[8+4*0x10:], 3) // more than entries after it
	for name, b := range map[string][]byte{
		"empty":        nil,
		"version 1":    append([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 1}, good[8:]...),
		"truncated":    good[:len(good)-3*4-8*2-2*hashLen-1],
		"fanout order": badFanout,
		"no checksums": good[:8+1024],
	} {
		if _, err := parsePackIndex(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}
