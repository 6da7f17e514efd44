package change

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

func snapshotOf(t *testing.T, f *changetest.Fixture, h plumbing.Hash, opts ...SnapshotOption) *Snapshot {
	t.Helper()
	repo := openRepo(t, f)
	c, err := repo.CommitObject(h)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSnapshot(repo, c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fstest.TestFS checks the whole io/fs contract (Open, ReadDir order,
// Stat, ReadFile, Seek-free reads) on a tree of plain files.
func TestSnapshotFSContract(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	h := f.Commit("c", changetest.Tree{
		"a.js":              changetest.Text("a\n"),
		"a.b":               changetest.Text("dot sorts before slash in git, not here\n"),
		"a/b/c.js":          changetest.Text("deep\n"),
		"a/z.txt":           changetest.Text("z\n"),
		"empty":             changetest.Text(""),
		"services/api/x.js": changetest.Text("process.send('ready')\n"),
	})
	s := snapshotOf(t, f, h)
	if err := fstest.TestFS(s, "a.js", "a.b", "a/b/c.js", "a/z.txt", "empty", "services/api/x.js"); err != nil {
		t.Fatal(err)
	}
	if s.Hash() != h {
		t.Errorf("Hash = %s, want %s", s.Hash(), h)
	}
	// ReadDir is sorted by name (git's tree order puts "a.b" before "a").
	es, err := s.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "a a.b a.js empty services" {
		t.Errorf("ReadDir(.) = %s", got)
	}
	fi, err := s.Stat("services/api/x.js")
	if err != nil || fi.Size() != int64(len("process.send('ready')\n")) || fi.IsDir() {
		t.Errorf("Stat = %v, %v", fi, err)
	}
}

func TestSnapshotEmpty(t *testing.T) {
	s := EmptySnapshot()
	if err := fstest.TestFS(s); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadFile("a"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile on the empty tree: %v", err)
	}
	if !s.Hash().IsZero() {
		t.Errorf("Hash = %s", s.Hash())
	}
}

func TestSnapshotNeverLeavesTheTree(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	h := f.Commit("c", changetest.Tree{
		"app/ecosystem.config.js": changetest.Text("module.exports = {}\n"),
		"app/passwd":              changetest.Link("../../etc/passwd"),
		"app/abs":                 changetest.Link("/etc/passwd"),
		"linkdir":                 changetest.Link("app"),
		"app/inside":              changetest.Link("ecosystem.config.js"),
		"big.bin":                 changetest.Text(strings.Repeat("x", 2048)),
		"vendor/mod":              changetest.Gitlink(subSHA),
	})
	s := snapshotOf(t, f, h, WithMaxFileSize(1024))
	tests := []struct {
		op, path string
		want     error
	}{
		{"readfile", "../etc/passwd", fs.ErrInvalid},
		{"readfile", "/etc/passwd", fs.ErrInvalid},
		{"readfile", "app/../app/ecosystem.config.js", fs.ErrInvalid},
		{"readfile", "./app/ecosystem.config.js", fs.ErrInvalid},
		{"stat", "app/", fs.ErrInvalid},
		{"open", "", fs.ErrInvalid},
		{"readfile", "app/passwd", ErrSymlink},
		{"readfile", "app/abs", ErrSymlink},
		{"readfile", "app/inside", ErrSymlink}, // even a link inside the tree
		{"open", "app/passwd", ErrSymlink},
		{"readfile", "linkdir/ecosystem.config.js", ErrSymlink},
		{"stat", "linkdir/ecosystem.config.js", ErrSymlink},
		{"readdir", "linkdir", ErrSymlink},
		{"open", "linkdir", ErrSymlink},
		{"readfile", "big.bin", ErrTooLarge},
		{"readfile", "vendor/mod", ErrSubmodule},
		{"open", "vendor/mod", ErrSubmodule},
		{"readdir", "vendor/mod", ErrSubmodule},
		{"readfile", "vendor/mod/README", ErrSubmodule},
		{"readfile", "nope", fs.ErrNotExist},
		{"readfile", "app/ecosystem.config.js/x", fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.path, func(t *testing.T) {
			var err error
			switch tt.op {
			case "readfile":
				_, err = s.ReadFile(tt.path)
			case "open":
				_, err = s.Open(tt.path)
			case "stat":
				_, err = s.Stat(tt.path)
			case "readdir":
				_, err = s.ReadDir(tt.path)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != tt.path {
				t.Errorf("err %v is not a *fs.PathError for %q", err, tt.path)
			}
		})
	}

	// Stat and ReadDir describe links and submodules without following.
	fi, err := s.Stat("app/passwd")
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 || fi.Size() != int64(len("../../etc/passwd")) {
		t.Errorf("Stat(link) = %v %v, %v", fi.Mode(), fi.Size(), err)
	}
	if target, err := s.ReadLink("app/passwd"); err != nil || target != "../../etc/passwd" {
		t.Errorf("ReadLink = %q, %v", target, err)
	}
	if _, err := s.ReadLink("app/ecosystem.config.js"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("ReadLink of a file: %v", err)
	}
	fi, err = s.Stat("linkdir")
	if err != nil || fi.Mode().Type() != fs.ModeSymlink || fi.IsDir() {
		t.Errorf("Stat(linked dir) = %v, %v", fi, err)
	}
	fi, err = s.Stat("vendor/mod")
	if err != nil || fi.Mode().Type() != fs.ModeIrregular || fi.IsDir() {
		t.Errorf("Stat(submodule) = %v, %v", fi, err)
	}
	// Stat of a too large file works.
	if fi, err := s.Stat("big.bin"); err != nil || fi.Size() != 2048 {
		t.Errorf("Stat(big) = %v, %v", fi, err)
	}
	// Open of a too large file fails at Read.
	if fl, err := s.Open("big.bin"); err != nil {
		t.Errorf("Open(big): %v", err)
	} else if _, err := io.ReadAll(fl); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Read(big) = %v", err)
	}

	// WalkDir visits everything once, enters neither links nor submodules.
	var walked []string
	err = fs.WalkDir(s, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		walked = append(walked, fmt.Sprintf("%s:%v", p, d.Type()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := ".:d--------- app:d--------- app/abs:L--------- app/ecosystem.config.js:---------- app/inside:L--------- " +
		"app/passwd:L--------- big.bin:---------- linkdir:L--------- vendor:d--------- vendor/mod:?---------"
	if got := strings.Join(walked, " "); got != want {
		t.Errorf("WalkDir =\n%s\nwant\n%s", got, want)
	}
}

// Parallel reads from two snapshots of one on-disk, packed repository (with
// deltas and blobs over go-git's 16 KiB in-memory threshold) under -race.
func TestSnapshotConcurrentReads(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	content := func(i, rev int) string {
		if i%15 == 0 {
			return strings.Repeat(fmt.Sprintf("large %d %d\n", i, rev), 1800) // ~20 KiB
		}
		return strings.Repeat(fmt.Sprintf("file %d\n", i), 20) + fmt.Sprintf("rev %d\n", rev)
	}
	mk := func(rev int) changetest.Tree {
		fs := changetest.Tree{}
		for i := range 45 {
			fs[fmt.Sprintf("d%d/f%d.js", i%7, i)] = changetest.Text(content(i, rev))
		}
		return fs
	}
	c1 := f.Commit("one", mk(1))
	c2 := f.Commit("two", mk(2), c1)
	f.Ref("refs/heads/master", c2)
	f.Pack()
	repo := openRepo(t, f)
	var snaps []*Snapshot
	for _, h := range []plumbing.Hash{c1, c2} {
		c, err := repo.CommitObject(h)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSnapshot(repo, c)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, s)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*45*2)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 45 {
				i := (k + g*7) % 45
				for rev, s := range snaps {
					p := fmt.Sprintf("d%d/f%d.js", i%7, i)
					b, err := s.ReadFile(p)
					if err != nil {
						errs <- err
						continue
					}
					if string(b) != content(i, rev+1) {
						errs <- fmt.Errorf("%s at rev %d: wrong content", p, rev+1)
					}
					if fi, err := s.Stat(p); err != nil || fi.Size() != int64(len(b)) {
						errs <- fmt.Errorf("stat %s: %v %v", p, fi, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// go-git's file system storage builds its pack index lazily without a lock:
// concurrent first reads race (and some fail with "object not found").
// The repository returned by Open serialises them.
func TestOpenIsSafeForConcurrentFirstReads(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	c := f.Commit("one", changetest.Tree{"a/b.js": changetest.Text("b\n")})
	f.Ref("refs/heads/master", c) // repacking keeps only reachable objects
	f.Pack()
	repo := openRepo(t, f)
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			commit, err := repo.CommitObject(c)
			if err != nil {
				errs <- err
				return
			}
			s, err := NewSnapshot(repo, commit)
			if err != nil {
				errs <- err
				return
			}
			if b, err := s.ReadFile("a/b.js"); err != nil || string(b) != "b\n" {
				errs <- fmt.Errorf("ReadFile = %q, %v", b, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
