package webhook

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/auditbot/auditbot/audit/benchrepo"
	"github.com/auditbot/auditbot/audit/change"
)

// benchRepoDir is where the 30k-file repository is generated once and
// reused (as cmd/auditbench does).
func benchRepoDir() string { return filepath.Join(os.TempDir(), "auditbot-bench", "repo") }

// benchPublish makes root/<owner>/<repo>.git from the generated
// repository (a local clone: hard links) and adds a second head on top of
// its head that changes one line of the ecosystem file, as a later push
// or pull request does. It returns base, head and the second head.
func benchPublish(b *testing.B, root, src, base, head string) (string, string, string) {
	b.Helper()
	bare := filepath.Join(root, testOwner, testRepo+".git")
	env := append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=B", "GIT_AUTHOR_EMAIL=b@example.com", "GIT_COMMITTER_NAME=B", "GIT_COMMITTER_EMAIL=b@example.com",
		"GIT_INDEX_FILE="+filepath.Join(root, "index"))
	gitIn(b, root, env, "clone", "-q", "--bare", "--local", src, bare)
	gitIn(b, bare, env, "config", "uploadpack.allowAnySHA1InWant", "true")
	path := benchrepo.ServiceDir + "/ecosystem.config.js"
	old := gitIn(b, bare, env, "show", head+":"+path)
	cmd := exec.Command("git", "hash-object", "-w", "--stdin")
	cmd.Dir, cmd.Env = bare, env
	cmd.Stdin = strings.NewReader(strings.Replace(old, "name:", "kill_timeout: 4000,\n      name:", 1))
	out, err := cmd.Output()
	if err != nil {
		b.Fatal(err)
	}
	gitIn(b, bare, env, "read-tree", head)
	gitIn(b, bare, env, "update-index", "--cacheinfo", "100644,"+strings.TrimSpace(string(out))+","+path)
	if mb, _ := strconv.Atoi(os.Getenv("AUDITBOT_BENCH_BLOB_MB")); mb > 0 {
		// The second head also adds a big blob (issue 9 item 4: a 300 MB
		// blob took the server to 1.33 GB).
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir, cmd.Env = bare, env
		line := []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n")
		cmd.Stdin = io.LimitReader(&repeater{b: line}, int64(mb)<<20)
		out, err := cmd.Output()
		if err != nil {
			b.Fatal(err)
		}
		gitIn(b, bare, env, "update-index", "--add", "--cacheinfo", "100644,"+strings.TrimSpace(string(out))+",assets/big.bin")
	}
	tree := gitIn(b, bare, env, "write-tree")
	head2 := gitIn(b, bare, env, "commit-tree", tree, "-p", head, "-m", "second head")
	gitIn(b, bare, env, "update-ref", "refs/heads/second", head2)
	return base, head, head2
}

// repeater repeats b forever.
type repeater struct {
	b   []byte
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.b[r.off:])
		n += c
		r.off = (r.off + c) % len(r.b)
	}
	return n, nil
}

// metricValue reads one unlabelled metric from the server's /metrics.
func metricValue(b *testing.B, e *env, name string) float64 {
	b.Helper()
	resp, err := http.Get(e.http.URL + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// memoryFetcher is the server's fetch before the repository cache:
// change.Fetch, depth 1, every object held in memory.
type memoryFetcher struct{}

func (memoryFetcher) Fetch(ctx context.Context, cloneURL, token string, shas ...string) (*git.Repository, func(), error) {
	repo, err := change.Fetch(ctx, cloneURL, &githttp.BasicAuth{Username: "x-access-token", Password: token}, shas...)
	return repo, func() {}, err
}

// BenchmarkDeliveryToComment30k measures, with the real engine behind the
// server, the time from a pull_request delivery to its report comment on
// the 30,000-file generated repository (audit/benchrepo), for a pull
// request's first head and a second one: with the repository cache,
// without it (every job fetches into a fresh directory), and as before the
// cache (memory: every object of both commits held in memory). It prints ratios
// (second vs first, cached vs uncached) and bytes fetched; the peak RSS of
// the process (which runs the server; git runs in other processes) is
// reported as peak-rss-MB: run each sub-benchmark alone for its own peak.
//
//	go test -run '^$' -bench 'DeliveryToComment30k/cached' -benchtime 1x ./webhook/
//	go test -run '^$' -bench 'DeliveryToComment30k/uncached' -benchtime 1x ./webhook/
//	go test -run '^$' -bench 'DeliveryToComment30k/memory' -benchtime 1x ./webhook/
//
// With AUDITBOT_BENCH_BLOB_MB=300 the second head also adds a 300 MB
// (compressible) blob.
func BenchmarkDeliveryToComment30k(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	ctx := context.Background()
	cfg := benchrepo.DefaultConfig()
	cfg.NoCheckout = true
	src := benchRepoDir()
	base, head, ok := benchrepo.Complete(ctx, src, cfg)
	if !ok {
		_ = os.RemoveAll(src)
		var err error
		if base, head, err = benchrepo.Generate(ctx, src, cfg); err != nil {
			b.Fatal(err)
		}
	}
	for _, name := range []string{"cached", "uncached", "memory"} {
		cached := name == "cached"
		b.Run(name, func(b *testing.B) {
			var first, second, bytes1, bytes2 float64
			for range b.N {
				var head2 string
				o := envOptions{engine: true, quiet: true, repo: func(t testing.TB, root string) (string, string) {
					_, _, head2 = benchPublish(b, root, src, base, head)
					return head, base
				}}
				switch name {
				case "cached":
					o.cacheDir = b.TempDir()
				case "memory":
					o.fetcher = memoryFetcher{}
				}
				e := newEnv(b, o)
				start := time.Now()
				e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", head))
				e.idleWithin(10 * time.Minute)
				first += time.Since(start).Seconds()
				bytes1 += metricValue(b, e, "auditbot_repo_cache_fetched_bytes_total")
				e.gh.setHead(head2)
				start = time.Now()
				e.deliver("pull_request", "d-2", e.payload("pull_request.synchronize.json", head2))
				e.idleWithin(10 * time.Minute)
				second += time.Since(start).Seconds()
				bytes2 += metricValue(b, e, "auditbot_repo_cache_fetched_bytes_total")
				if n := len(e.gh.reportComments()); n != 1 {
					b.Fatalf("%d report comments, want 1", n)
				}
			}
			n := float64(b.N)
			b.ReportMetric(first/n, "first-s")
			b.ReportMetric(second/n, "second-s")
			b.ReportMetric(second/first, "second/first")
			if cached {
				b.ReportMetric(bytes1/n/(1<<20), "fetched-first-MB")
				b.ReportMetric((bytes2-bytes1)/n/(1<<20), "fetched-second-MB")
			}
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}
