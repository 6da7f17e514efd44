package change

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"

	"github.com/go-git/go-git/v5"
)

// bigBlobSize is the size of the blob the tests below must never inflate:
// highly compressible, so it costs little disk and little time to write,
// but it would cost its whole size in memory if read.
const bigBlobSize = 64 << 20

// writeBig writes n bytes of one repeated line to path, in small pieces.
func writeBig(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"), 1024)
	for left := n; left > 0; left -= len(chunk) {
		if _, err := f.Write(chunk[:min(left, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// bigBlobRepo makes an on-disk repository with the git CLI: the base has
// a small file that the head deletes (so rename detection compares the
// added and deleted files) and the head adds big.js, a blob of
// bigBlobSize bytes, and changes a small file beside it. With packed, the
// objects are repacked into a packfile; otherwise they stay loose.
func bigBlobRepo(t testing.TB, packed bool) (dir, base, head string) {
	t.Helper()
	dir = t.TempDir()
	changetest.Git(t, dir, "init", "-q", "-b", "main")
	changetest.Git(t, dir, "config", "user.email", "t@example.com")
	changetest.Git(t, dir, "config", "user.name", "t")
	if err := os.WriteFile(filepath.Join(dir, "old.js"), bytes.Repeat([]byte("module.exports = 1;\n"), 400), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("console.log(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changetest.Git(t, dir, "add", ".")
	changetest.Git(t, dir, "commit", "-q", "-m", "base")
	base = string(bytes.TrimSpace([]byte(changetest.Git(t, dir, "rev-parse", "HEAD"))))
	changetest.Git(t, dir, "rm", "-q", "old.js")
	writeBig(t, filepath.Join(dir, "big.js"), bigBlobSize)
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("console.log(2)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changetest.Git(t, dir, "add", ".")
	changetest.Git(t, dir, "commit", "-q", "-m", "head")
	head = string(bytes.TrimSpace([]byte(changetest.Git(t, dir, "rev-parse", "HEAD"))))
	if packed {
		changetest.Git(t, dir, "repack", "-adq")
		changetest.Git(t, dir, "prune-packed")
	}
	return dir, base, head
}

// allocated returns the bytes allocated on the heap while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestBigBlobIsNeverInflated protects issue 9 item 4: a blob over the
// size limit in a pull request must not be loaded into memory by any step
// of the reading an audit does (listing the changes with rename detection,
// diffing the file, stat and read through the snapshot). Its size comes
// from the object header; the allocations of the whole sequence must stay
// far below the blob's size, loose or packed.
func TestBigBlobIsNeverInflated(t *testing.T) {
	for _, packed := range []bool{false, true} {
		name := "loose"
		if packed {
			name = "packed"
		}
		t.Run(name, func(t *testing.T) {
			dir, base, head := bigBlobRepo(t, packed)
			var (
				repo    *git.Repository
				files   []File
				size    int64
				readErr error
				patch   *Patch
			)
			n := allocated(func() {
				var err error
				repo, _, err = Open(t.Context(), dir)
				if err != nil {
					t.Fatal(err)
				}
				rng, err := Resolve(t.Context(), repo, base+".."+head)
				if err != nil {
					t.Fatal(err)
				}
				files, err = Changes(t.Context(), repo, rng)
				if err != nil {
					t.Fatal(err)
				}
				snap, err := NewSnapshot(repo, rng.Head)
				if err != nil {
					t.Fatal(err)
				}
				st, err := snap.Stat("big.js")
				if err != nil {
					t.Fatal(err)
				}
				size = st.Size()
				_, readErr = snap.ReadFile("big.js")
				f, err := snap.Open("big.js")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.Stat(); err != nil {
					t.Fatal(err)
				}
				for _, cf := range files {
					if cf.Path == "big.js" {
						if patch, err = Hunks(t.Context(), repo, cf); err != nil {
							t.Fatal(err)
						}
					}
				}
			})
			if size != bigBlobSize {
				t.Errorf("Stat(big.js).Size() = %d, want %d", size, bigBlobSize)
			}
			if !errors.Is(readErr, ErrTooLarge) {
				t.Errorf("ReadFile(big.js) error = %v, want ErrTooLarge", readErr)
			}
			var pe *fs.PathError
			if !errors.As(readErr, &pe) || pe.Path != "big.js" {
				t.Errorf("ReadFile(big.js) error %v does not name the file", readErr)
			}
			if patch == nil || !patch.TooLarge {
				t.Errorf("Hunks(big.js) = %+v, want TooLarge", patch)
			}
			var paths []string
			for _, f := range files {
				paths = append(paths, f.Path+":"+string(f.Status))
			}
			want := []string{"big.js:added", "index.js:modified", "old.js:deleted"}
			if len(paths) != len(want) {
				t.Fatalf("Changes = %v, want %v", paths, want)
			}
			for i := range want {
				if paths[i] != want[i] {
					t.Fatalf("Changes = %v, want %v", paths, want)
				}
			}
			if n > bigBlobSize/4 {
				t.Fatalf("reading the change allocated %d MB: the %d MB blob was inflated", n>>20, bigBlobSize>>20)
			}
			t.Logf("allocated %.1f MB around a %d MB blob", float64(n)/(1<<20), bigBlobSize>>20)
		})
	}
}
