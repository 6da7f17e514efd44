package repocache

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// upstream is a repository served over smart HTTP, with a counter of
// upload-pack requests.
type upstream struct {
	dir   string
	url   string
	posts atomic.Int64
	rnd   *rand.Rand
}

// newUpstream makes a repository of files files of incompressible text
// and serves it; its first commit is returned.
func newUpstream(t *testing.T, name string, files int) (*upstream, string) {
	t.Helper()
	u := &upstream{dir: filepath.Join(t.TempDir(), name), rnd: rand.New(rand.NewPCG(uint64(files), 7))}
	if err := os.MkdirAll(u.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	changetest.Git(t, u.dir, "init", "-q", "-b", "main")
	changetest.Git(t, u.dir, "config", "uploadpack.allowAnySHA1InWant", "true")
	for i := range files {
		u.write(t, fmt.Sprintf("src/f%03d.js", i))
	}
	first := u.commit(t)
	execPath := strings.TrimSpace(changetest.Git(t, u.dir, "--exec-path"))
	h := &cgi.Handler{Path: filepath.Join(execPath, "git-http-backend"), Env: []string{
		"GIT_PROJECT_ROOT=" + u.dir, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + t.TempDir(),
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			u.posts.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	u.url = srv.URL + "/.git"
	return u, first
}

func (u *upstream) write(t *testing.T, name string) {
	t.Helper()
	b := make([]byte, 4000)
	for i := range b {
		b[i] = 'a' + byte(u.rnd.IntN(26))
	}
	p := filepath.Join(u.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// change rewrites one file and commits.
func (u *upstream) change(t *testing.T, name string) string {
	t.Helper()
	u.write(t, name)
	return u.commit(t)
}

func (u *upstream) commit(t *testing.T) string {
	t.Helper()
	changetest.Git(t, u.dir, "add", ".")
	changetest.Git(t, u.dir, "commit", "-q", "-m", "c")
	return strings.TrimSpace(changetest.Git(t, u.dir, "rev-parse", "HEAD"))
}

// TestCacheFetchesIncrementally protects issue 10's cache: the second pull
// request of a repository fetches only its new objects (a miss of a few
// KB), the same commits again are a hit that asks nothing of the remote,
// and the metrics count both.
func TestCacheFetchesIncrementally(t *testing.T) {
	up, base := newUpstream(t, "a", 200)
	head1 := up.change(t, "src/f001.js")
	head2 := up.change(t, "src/f002.js")
	c, err := New(Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	repo, release, err := c.Fetch(t.Context(), up.url, nil, base, head1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.CommitObject(plumbing.NewHash(head1)); err != nil {
		t.Fatal(err)
	}
	release()
	release() // twice is harmless
	first := testutil.ToFloat64(c.fetched)
	_, release, err = c.Fetch(t.Context(), up.url, nil, base, head2)
	if err != nil {
		t.Fatal(err)
	}
	release()
	second := testutil.ToFloat64(c.fetched) - first
	if first < 200*4000/2 || second*20 > first {
		t.Fatalf("first fetch %v bytes, second %v: want the second a small part of the first", first, second)
	}
	posts := up.posts.Load()
	repo, release, err = c.Fetch(t.Context(), up.url, nil, head1, base, head2)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if up.posts.Load() != posts {
		t.Fatal("a fetch of commits in the cache asked the remote")
	}
	if _, err := repo.CommitObject(plumbing.NewHash(head2)); err != nil {
		t.Fatal(err)
	}
	if h, m := testutil.ToFloat64(c.hits), testutil.ToFloat64(c.misses); h != 1 || m != 2 {
		t.Fatalf("hits %v misses %v, want 1 and 2", h, m)
	}
	if n := testutil.CollectAndCount(c); n != 5 {
		t.Fatalf("%d metrics collected, want 5", n)
	}
	t.Logf("first PR fetched %.0f bytes, second %.0f (ratio %.4f)", first, second, second/first)
}

// TestCacheEvictsLeastRecentlyUsedNeverInUse: over its bound the cache
// removes the least recently used repositories whole, but never one a job
// still holds; a removed repository is fetched again when asked for.
func TestCacheEvictsLeastRecentlyUsedNeverInUse(t *testing.T) {
	a, ca := newUpstream(t, "a", 100)
	b, cb := newUpstream(t, "b", 100)
	d, cd := newUpstream(t, "d", 100)
	dir := t.TempDir()
	c, err := New(Config{Dir: dir, MaxBytes: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(u *upstream, sha string) func() {
		t.Helper()
		_, release, err := c.Fetch(t.Context(), u.url, nil, sha)
		if err != nil {
			t.Fatal(err)
		}
		return release
	}
	fetch(a, ca)()
	one, _ := c.scan()
	size := one[0].size
	// Room for two repositories, not three.
	c.max = size*2 + size/2
	fetch(b, cb)()
	holdA := fetch(a, ca) // a is now the most recently used, and held
	keyA, _ := Key(a.url)
	keyB, _ := Key(b.url)
	keyD, _ := Key(d.url)
	fetch(d, cd)() // over the bound: b, the least recently used, goes
	exists := func(key string) bool {
		_, err := os.Stat(filepath.Join(dir, "repos", key))
		return err == nil
	}
	if exists(keyB) || !exists(keyA) || !exists(keyD) {
		t.Fatalf("after eviction a=%v b=%v d=%v; want b evicted only", exists(keyA), exists(keyB), exists(keyD))
	}
	// Now room for one only: a is held, so d goes, and a stays.
	c.max = size + size/2
	c.Evict()
	if !exists(keyA) || exists(keyD) {
		t.Fatalf("a repository in use was evicted (a=%v d=%v)", exists(keyA), exists(keyD))
	}
	holdA()
	if got := testutil.ToFloat64(c.evictions); got != 2 {
		t.Fatalf("%v evictions, want 2", got)
	}
	// An evicted repository comes back on demand.
	posts := b.posts.Load()
	fetch(b, cb)()
	if b.posts.Load() == posts {
		t.Fatal("the evicted repository was not fetched again")
	}
}

// TestCacheConcurrentJobsOnOneRepository: jobs fetching different pull
// requests of one repository at once all get their commits, and the
// repository is consistent afterwards (run with -race).
func TestCacheConcurrentJobsOnOneRepository(t *testing.T) {
	up, base := newUpstream(t, "a", 50)
	var heads []string
	for i := range 6 {
		heads = append(heads, up.change(t, fmt.Sprintf("src/f%03d.js", i)))
	}
	c, err := New(Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(heads))
	for _, h := range heads {
		wg.Go(func() {
			repo, release, err := c.Fetch(t.Context(), up.url, nil, base, h)
			if err != nil {
				errs <- err
				return
			}
			defer release()
			for _, sha := range []string{base, h} {
				if _, err := repo.CommitObject(plumbing.NewHash(sha)); err != nil {
					errs <- fmt.Errorf("%s: %w", sha, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestKeyHidesCredentials: the directory name of a repository is the same
// whatever token its URL carries, and never contains the token.
func TestKeyHidesCredentials(t *testing.T) {
	k1, err := Key("https://x-access-token:ghs_secret@github.com/Owner/Repo.git?token=qs")
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := Key("https://github.com/Owner/Repo")
	k3, _ := Key("https://github.com/Owner/Other.git")
	if k1 != k2 || k1 == k3 || strings.Contains(k1, "secret") || strings.Contains(k1, "qs") {
		t.Fatalf("keys %q %q %q", k1, k2, k3)
	}
	if _, err := Key("::not a url"); err == nil {
		t.Fatal("a malformed URL gave a key")
	}
	c, err := New(Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Fetch(t.Context(), "http://x-access-token:s3cr3t@127.0.0.1:1/o/r.git?token=q5", nil, strings.Repeat("ab", 20))
	if err == nil || strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "q5") {
		t.Fatalf("err = %v: want a failure naming no secret", err)
	}
}

// TestCacheRefetchesARepositoryOfTooManyPacks: each fetch adds a pack;
// past MaxPacks a repository not in use is removed, and its next job
// fetches it afresh in one pack, so lookups never search hundreds of
// packs.
func TestCacheRefetchesARepositoryOfTooManyPacks(t *testing.T) {
	up, base := newUpstream(t, "a", 20)
	dir := t.TempDir()
	c, err := New(Config{Dir: dir, MaxPacks: 3})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := Key(up.url)
	packs := func() int {
		p, _ := filepath.Glob(filepath.Join(dir, "repos", key, "objects", "pack", "pack-*.pack"))
		return len(p)
	}
	_, release, err := c.Fetch(t.Context(), up.url, nil, base)
	if err != nil {
		t.Fatal(err)
	}
	release()
	held := func() {}
	for i := range 3 {
		head := up.change(t, fmt.Sprintf("src/f%03d.js", i))
		_, rel, err := c.Fetch(t.Context(), up.url, nil, base, head)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			held = rel // in use: not removed however many packs
			if packs() != 4 {
				t.Fatalf("%d packs after 4 fetches", packs())
			}
			c.Evict()
			if packs() != 4 {
				t.Fatal("a repository in use was removed for its packs")
			}
			continue
		}
		rel()
	}
	held()
	if packs() != 0 {
		t.Fatalf("a repository of 4 packs (max 3) was kept after its release")
	}
	head := up.change(t, "src/f010.js")
	repo, release, err := c.Fetch(t.Context(), up.url, nil, base, head)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := repo.CommitObject(plumbing.NewHash(head)); err != nil || packs() != 1 {
		t.Fatalf("refetch: %d packs, %v", packs(), err)
	}
}
