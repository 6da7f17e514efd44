// Package repocache keeps one bare git repository per remote repository
// on disk, so that the server fetches each pull request's commits
// incrementally (only the objects it does not have yet) and reads them
// from memory-mapped packs instead of holding whole trees in memory.
//
// The cache is bounded in bytes: after a job releases its repository, the
// least recently used repositories are removed whole until the cache fits,
// never one in use. Locks are files (flock), so jobs of one process and
// processes sharing the directory (replicas on one volume) neither corrupt
// a repository by fetching into it at once nor remove one another's.
package repocache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/gofrs/flock"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/auditbot/auditbot/audit/change"
)

// DefaultMaxBytes is the default bound of the cache on disk (5 GiB).
const DefaultMaxBytes = 5 << 30

// lockRetry is how often a held lock is tried again.
const lockRetry = 25 * time.Millisecond

// DefaultMaxPacks is the number of packfiles (one per fetch) past which a
// repository not in use is removed by Evict, to be fetched afresh, in one
// pack, by its next job: every object lookup searches the packs one after
// the other, and each fetch keeps its commits as "haves".
const DefaultMaxPacks = 64

// usedStamp is the file whose modification time is a repository's last
// use (the LRU order, shared by processes and kept across restarts).
const usedStamp = "auditbot-used"

// Config configures a Cache.
type Config struct {
	// Dir holds the repositories (Dir/repos) and their lock files
	// (Dir/locks). Created when missing.
	Dir string
	// MaxBytes bounds the repositories' size on disk; 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxPacks: a repository with more packfiles is removed once not in
	// use; 0 means DefaultMaxPacks.
	MaxPacks int
	// Logger logs evictions; nil discards.
	Logger *slog.Logger
}

// Cache is the repository cache. It is safe for concurrent use, and for
// use by several processes sharing Dir.
type Cache struct {
	dir      string
	max      int64
	maxPacks int
	log      *slog.Logger
	// evicting serialises this process's eviction runs (other processes
	// are kept off repositories in use by the file locks).
	evicting sync.Mutex

	hits, misses, fetched, evictions prometheus.Counter
	size                             prometheus.Gauge
}

// New opens (creating) the cache in cfg.Dir and trims it to its bound.
func New(cfg Config) (*Cache, error) {
	if cfg.Dir == "" {
		return nil, errors.New("repository cache: no directory")
	}
	if cfg.MaxBytes < 0 {
		return nil, fmt.Errorf("repository cache: negative size %d", cfg.MaxBytes)
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxPacks <= 0 {
		cfg.MaxPacks = DefaultMaxPacks
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	for _, d := range []string{"repos", "locks"} {
		if err := os.MkdirAll(filepath.Join(cfg.Dir, d), 0o750); err != nil {
			return nil, fmt.Errorf("repository cache: %w", err)
		}
	}
	c := &Cache{
		dir: cfg.Dir, max: cfg.MaxBytes, maxPacks: cfg.MaxPacks, log: cfg.Logger,
		hits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auditbot_repo_cache_hits_total",
			Help: "Fetches served from the repository cache without asking the remote.",
		}),
		misses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auditbot_repo_cache_misses_total",
			Help: "Fetches that asked the remote for commits the cache lacked.",
		}),
		fetched: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auditbot_repo_cache_fetched_bytes_total",
			Help: "Bytes of packfiles fetched into the repository cache.",
		}),
		evictions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auditbot_repo_cache_evictions_total",
			Help: "Repositories removed from the cache to keep it under its size.",
		}),
		size: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "auditbot_repo_cache_bytes",
			Help: "Size of the repository cache on disk, as of the last eviction check.",
		}),
	}
	c.Evict()
	return c, nil
}

// Describe implements prometheus.Collector.
func (c *Cache) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.collectors() {
		m.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (c *Cache) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.collectors() {
		m.Collect(ch)
	}
}

func (c *Cache) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.hits, c.misses, c.fetched, c.evictions, c.size}
}

// Fetch returns the cached repository of rawURL holding the commits shas
// (full SHAs), fetching those it lacks (see change.FetchTo). The
// repository is in use, and never evicted, until release is called;
// release may be called more than once. Errors never carry the
// credentials or query string of rawURL.
func (c *Cache) Fetch(ctx context.Context, rawURL string, auth transport.AuthMethod, shas ...string) (repo *git.Repository, release func(), err error) {
	key, err := Key(rawURL)
	if err != nil {
		return nil, nil, err
	}
	use := flock.New(filepath.Join(c.dir, "locks", key+".use"))
	if _, err := use.TryRLockContext(ctx, lockRetry); err != nil {
		return nil, nil, fmt.Errorf("repository cache: lock %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = use.Close()
		}
	}()
	dir := filepath.Join(c.dir, "repos", key)
	repo, stats, err := c.fetch(ctx, key, dir, rawURL, auth, shas)
	if err != nil {
		return nil, nil, err
	}
	if stats.Fetched {
		c.misses.Inc()
		c.fetched.Add(float64(stats.Bytes))
	} else {
		c.hits.Inc()
	}
	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, usedStamp), now, now); errors.Is(err, fs.ErrNotExist) {
		err = os.WriteFile(filepath.Join(dir, usedStamp), nil, 0o640)
	}
	release = sync.OnceFunc(func() {
		_ = use.Close()
		c.Evict()
	})
	return repo, release, nil
}

// fetch runs change.FetchTo under the repository's fetch lock.
func (c *Cache) fetch(ctx context.Context, key, dir, rawURL string, auth transport.AuthMethod, shas []string) (*git.Repository, change.FetchStats, error) {
	lock := flock.New(filepath.Join(c.dir, "locks", key+".fetch"))
	if _, err := lock.TryLockContext(ctx, lockRetry); err != nil {
		return nil, change.FetchStats{}, fmt.Errorf("repository cache: lock %s: %w", key, err)
	}
	defer lock.Close()
	return change.FetchTo(ctx, dir, rawURL, auth, shas...)
}

// entry is one cached repository, as Evict sees it.
type entry struct {
	key   string
	size  int64
	packs int
	used  time.Time
}

// Evict removes the least recently used repositories not in use until
// the cache fits its bound, and any not in use with more than MaxPacks
// packfiles (Config.MaxPacks). Release calls it; it is exported for the
// server's start and for tests.
func (c *Cache) Evict() {
	c.evicting.Lock()
	defer c.evicting.Unlock()
	entries, total := c.scan()
	c.size.Set(float64(total))
	sort.Slice(entries, func(i, j int) bool { return entries[i].used.Before(entries[j].used) })
	for _, e := range entries {
		if total <= c.max && e.packs <= c.maxPacks {
			continue
		}
		use := flock.New(filepath.Join(c.dir, "locks", e.key+".use"))
		ok, err := use.TryLock()
		if err != nil || !ok {
			_ = use.Close()
			continue // in use, here or in another process
		}
		err = c.remove(e.key)
		_ = use.Close()
		if err != nil {
			c.log.Warn("repository cache: evicting", "repository", e.key, "err", err.Error())
			continue
		}
		total -= e.size
		c.evictions.Inc()
		c.log.Info("repository cache: evicted", "repository", e.key, "bytes", e.size, "unused_for", time.Since(e.used).Round(time.Second))
	}
	c.size.Set(float64(total))
}

// remove deletes a repository: renamed out of the way first, so that no
// reader ever opens a half-deleted one.
func (c *Cache) remove(key string) error {
	dir := filepath.Join(c.dir, "repos", key)
	trash, err := os.MkdirTemp(filepath.Join(c.dir, "repos"), ".evicted-")
	if err != nil {
		return err
	}
	if err := os.Rename(dir, filepath.Join(trash, key)); err != nil {
		_ = os.Remove(trash)
		return err
	}
	return os.RemoveAll(trash)
}

// scan lists the cached repositories with their size and last use, and
// removes what earlier evictions left half done.
func (c *Cache) scan() ([]entry, int64) {
	root := filepath.Join(c.dir, "repos")
	des, err := os.ReadDir(root)
	if err != nil {
		c.log.Warn("repository cache: listing", "err", err.Error())
		return nil, 0
	}
	var out []entry
	var total int64
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		p := filepath.Join(root, de.Name())
		if strings.HasPrefix(de.Name(), ".evicted-") {
			_ = os.RemoveAll(p)
			continue
		}
		e := entry{key: de.Name(), size: dirSize(p)}
		packs, _ := filepath.Glob(filepath.Join(p, "objects", "pack", "pack-*.pack"))
		e.packs = len(packs)
		if st, err := os.Stat(filepath.Join(p, usedStamp)); err == nil {
			e.used = st.ModTime()
		} else if info, err := de.Info(); err == nil {
			e.used = info.ModTime()
		}
		out = append(out, e)
		total += e.size
	}
	return out, total
}

// dirSize is the size of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// Key is the directory name of a remote repository in the cache: readable
// (host and path) and unique (a hash of the URL without its credentials,
// query or fragment, so tokens never name a directory).
func Key(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" && u.Scheme != "file" {
		return "", fmt.Errorf("repository cache: not a repository URL: %q", redacted(rawURL))
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment = nil, "", false, ""
	u.Host = strings.ToLower(u.Host)
	canon := strings.TrimSuffix(strings.TrimSuffix(u.String(), "/"), ".git")
	sum := sha256.Sum256([]byte(canon))
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, u.Host+u.Path)
	slug = strings.Trim(strings.TrimSuffix(slug, ".git"), "._")
	if len(slug) > 80 {
		slug = slug[len(slug)-80:]
	}
	return slug + "-" + hex.EncodeToString(sum[:6]), nil
}

// redacted is rawURL without credentials or query, for errors.
func redacted(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "<unparsable URL>"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}
