package change

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/auditbot/auditbot/audit/benchrepo"
	"github.com/auditbot/auditbot/audit/change/changetest"
)

// countingHTTP serves dir (a repository with a work tree) with git
// http-backend, allowing wants by SHA, and counts the upload-pack POSTs
// (one per fetch negotiation round).
func countingHTTP(t *testing.T, dir string) (string, *atomic.Int64) {
	t.Helper()
	execPath := strings.TrimSpace(changetest.Git(t, dir, "--exec-path"))
	backend := filepath.Join(execPath, "git-http-backend")
	if _, err := exec.LookPath(backend); err != nil {
		t.Skipf("git http-backend not available: %v", err)
	}
	changetest.Git(t, dir, "config", "uploadpack.allowAnySHA1InWant", "true")
	h := &cgi.Handler{Path: backend, Env: []string{
		"GIT_PROJECT_ROOT=" + dir, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + t.TempDir(),
	}}
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			posts.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/.git", &posts
}

// randomText is n bytes of incompressible lowercase text.
func randomText(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(r.IntN(26))
		if i%64 == 63 {
			b[i] = '\n'
		}
	}
	return string(b)
}

// TestFetchToIsIncremental protects the repository cache's point (issue
// 10): a second fetch into the same bare repository, for a head that
// changes one file of many, downloads only what is new, and a fetch of
// commits already there does not contact the remote at all.
func TestFetchToIsIncremental(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	r := rand.New(rand.NewPCG(1, 2))
	tree := changetest.Tree{"ecosystem.config.js": changetest.Text("module.exports = {apps: []}\n")}
	for i := range 400 {
		tree[fmt.Sprintf("src/d%02d/f%03d.js", i%20, i)] = changetest.Text(randomText(r, 2000))
	}
	c1 := f.Commit("one", tree)
	c2 := f.Commit("two", tree.With(changetest.Tree{"src/d03/f003.js": changetest.Text(randomText(r, 2000))}), c1)
	c3 := f.Commit("three", tree.With(changetest.Tree{"ecosystem.config.js": changetest.Text("module.exports = {apps: [1]}\n")}), c2)
	f.Ref("refs/heads/main", c3)
	f.Pack()
	url, posts := countingHTTP(t, f.Dir())
	dir := filepath.Join(t.TempDir(), "cache.git")

	_, first, err := FetchTo(t.Context(), dir, url, nil, c1.String())
	if err != nil {
		t.Fatal(err)
	}
	repo, second, err := FetchTo(t.Context(), dir, url, nil, c1.String(), c2.String())
	if err != nil {
		t.Fatal(err)
	}
	if !first.Fetched || !second.Fetched || first.Bytes < 400*1000 {
		t.Fatalf("first fetch %+v, second %+v: want both fetched, the first of the whole tree", first, second)
	}
	if second.Bytes*20 > first.Bytes {
		t.Errorf("second fetch took %d bytes, first %d: the second should carry one file and its trees", second.Bytes, first.Bytes)
	}
	t.Logf("first fetch %d bytes, second %d bytes (ratio %.3f)", first.Bytes, second.Bytes, float64(second.Bytes)/float64(first.Bytes))

	// Both commits read back whole, through the snapshot.
	rng, err := Resolve(t.Context(), repo, c1.String()+".."+c2.String())
	if err != nil {
		t.Fatal(err)
	}
	files, err := Changes(t.Context(), repo, rng)
	if err != nil || len(files) != 1 || files[0].Path != "src/d03/f003.js" {
		t.Fatalf("Changes = %v, %v; want src/d03/f003.js only", files, err)
	}
	snap, err := NewSnapshot(repo, rng.Base)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(snap, "src/d07/f007.js"); err != nil || string(b) != tree["src/d07/f007.js"].Content {
		t.Fatalf("read src/d07/f007.js at base: %v", err)
	}

	// Every file of the second head reads back whole (its trees came as
	// deltas against the first head's, in a thin pack).
	snap2, err := NewSnapshot(repo, rng.Head)
	if err != nil {
		t.Fatal(err)
	}
	want2 := tree.With(changetest.Tree{"src/d03/f003.js": changetest.Text("")})
	read := 0
	err = fs.WalkDir(snap2, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(snap2, p)
		if err != nil {
			return err
		}
		if p != "src/d03/f003.js" && string(b) != want2[p].Content {
			t.Errorf("%s differs at the second head", p)
		}
		read++
		return nil
	})
	if err != nil || read != len(tree) {
		t.Fatalf("walk of the second head: %d files read of %d, %v", read, len(tree), err)
	}

	before := posts.Load()
	if _, st, err := FetchTo(t.Context(), dir, url, nil, c2.String(), c1.String()); err != nil || st.Fetched || st.Bytes != 0 {
		t.Fatalf("fetch of commits in hand: %+v, %v; want nothing fetched", st, err)
	}
	if posts.Load() != before {
		t.Fatalf("fetch of commits in hand asked the remote (%d upload-pack requests)", posts.Load()-before)
	}
	_, third, err := FetchTo(t.Context(), dir, url, nil, c2.String(), c3.String())
	if err != nil || !third.Fetched || third.Bytes*20 > first.Bytes {
		t.Fatalf("third fetch %+v, %v: want a small fetch", third, err)
	}
}

// TestFetchToNeverInflatesABigBlob protects issue 9 item 4 in the server:
// a pull request adding a 64 MB blob is fetched into the repository on
// disk and its change read (changes, rename detection, snapshot, diff)
// without the blob being held in memory: the packfile is streamed to disk
// and sizes come from object headers.
func TestFetchToNeverInflatesABigBlob(t *testing.T) {
	dir, base, head := bigBlobRepo(t, true)
	url, _ := countingHTTP(t, dir)
	cache := filepath.Join(t.TempDir(), "cache.git")
	var readErr error
	n := allocated(func() {
		repo, st, err := FetchTo(t.Context(), cache, url, nil, base, head)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Fetched {
			t.Fatal("nothing fetched")
		}
		rng, err := Resolve(t.Context(), repo, base+".."+head)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Changes(t.Context(), repo, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if _, err := Hunks(t.Context(), repo, f); err != nil {
				t.Fatal(err)
			}
		}
		snap, err := NewSnapshot(repo, rng.Head)
		if err != nil {
			t.Fatal(err)
		}
		_, readErr = snap.ReadFile("big.js")
	})
	if !errors.Is(readErr, ErrTooLarge) {
		t.Errorf("ReadFile(big.js) = %v, want ErrTooLarge", readErr)
	}
	if n > bigBlobSize/4 {
		t.Fatalf("fetching and reading the change allocated %d MB: the %d MB blob was inflated", n>>20, bigBlobSize>>20)
	}
	t.Logf("allocated %.1f MB around a %d MB blob", float64(n)/(1<<20), bigBlobSize>>20)
}

// TestFetchToRedactsCredentials: neither the token in the URL nor its
// query string reaches the error.
func TestFetchToRedactsCredentials(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache.git")
	_, _, err := FetchTo(t.Context(), dir, "http://x-access-token:s3cr3t@127.0.0.1:1/repo.git?token=qs3cr3t", nil, strings.Repeat("ab", 20))
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("err = %v: must fail without the token", err)
	}
	if _, _, err := FetchTo(t.Context(), dir, "http://h/r.git", nil, "main"); err == nil {
		t.Fatal("a branch name was accepted as a SHA")
	}
}

// TestIndexPackMatchesGit indexes a pack git made (deltas of both kinds of
// chains, many objects) with indexPack and requires the very bytes of
// git's own index.
func TestIndexPackMatchesGit(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := benchrepo.Generate(t.Context(), dir, benchrepo.Config{Files: 300, Commits: 40, ServiceFiles: 60, NoCheckout: true}); err != nil {
		t.Fatal(err)
	}
	changetest.Git(t, dir, "repack", "-adq", "--depth=50")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs", len(packs))
	}
	want, err := os.ReadFile(strings.TrimSuffix(packs[0], ".pack") + ".idx")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	sum, err := indexPack(packs[0], &got, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(packs[0], sum.String()) {
		t.Errorf("checksum %s is not the pack's name %s", sum, packs[0])
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("index differs from git's: %d bytes, git's %d", got.Len(), len(want))
	}
	// A corrupt pack is refused, not indexed.
	b, _ := os.ReadFile(packs[0])
	b[len(b)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad.pack")
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := indexPack(bad, io.Discard, nil); err == nil {
		t.Fatal("a corrupt pack was indexed")
	}
	var _ = plumbing.ZeroHash
}
