package scan

import (
	"bytes"
	"context"
	"fmt"
	"github.com/auditbot/auditbot/audit/ecosystem"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Options bound a Service scan. Zero values mean the defaults.
type Options struct {
	// MaxFiles caps the source and documentation files read (default
	// 20000). Reaching it sets Result.Truncated with Limit "max-files".
	MaxFiles int
	// MaxFileSize caps the bytes read from one file (default 2 MiB).
	// Bigger files are skipped, counted in Skipped and SkippedBy
	// ["too-large"], and set Truncated with Limit "max-file-size".
	MaxFileSize int64
	// Workers is the number of files read and scanned in parallel
	// (default runtime.GOMAXPROCS(0)).
	Workers int
	// Cache, when set, keeps what each file gave, by path and content, for
	// later scans given the same Cache: the two revisions of a change
	// share most files, which the second scan then neither reads nor
	// lexes. It applies to file systems whose directory entries name their
	// content (ContentKeyer, as change.Snapshot's do); others are read
	// every time.
	Cache *Cache
}

// ContentKeyer is implemented by directory entries that identify their
// content, such as a git blob hash: equal keys mean equal bytes.
type ContentKeyer interface {
	ContentKey() string
}

// Cache remembers scan results by file path and content key. It is safe
// for concurrent use. Results depend on MaxFileSize (a file may be skipped
// as too large): use one Cache with one Options.
type Cache struct {
	mu sync.Mutex
	m  map[cacheKey]fileResult
}

type cacheKey struct {
	path, content string
	doc, test     bool // a test file's evidence depends on the service dir
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{m: map[cacheKey]fileResult{}} }

func (c *Cache) get(k cacheKey) (fileResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *Cache) put(k cacheKey, r fileResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = r
}

// Default limits.
const (
	DefaultMaxFiles    = 20000
	DefaultMaxFileSize = 2 << 20
)

// Skip reasons, the keys of Result.SkippedBy.
const (
	SkipTooLarge    = "too-large"
	SkipBinary      = "binary"
	SkipSymlink     = "symlink"
	SkipBuildOutput = "build-output" // dist/, build/, out/, .next/ while sources exist
	SkipMinified    = "minified"     // *.min.js and friends
	SkipIrregular   = "not-regular"  // devices, pipes, submodule entries
	SkipConfig      = "pm2-config"   // ecosystem files: configuration, not the service's code
)

// Limit names used in Result.Limit.
const (
	LimitMaxFiles    = "max-files"
	LimitMaxFileSize = "max-file-size"
)

// sourceExts are the JavaScript and TypeScript extensions scanned.
var sourceExts = map[string]bool{
	".js": true, ".cjs": true, ".mjs": true, ".jsx": true,
	".ts": true, ".tsx": true, ".mts": true, ".cts": true,
}

// docExts are the documentation extensions scanned.
var docExts = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".rst": true}

// IsSource reports whether p has an extension of the JavaScript and
// TypeScript files the scanner reads (case-insensitive, as the scan).
func IsSource(p string) bool { return sourceExts[strings.ToLower(path.Ext(p))] }

// IsDoc reports whether p has an extension of the documentation files the
// scanner reads (case-insensitive, as the scan).
func IsDoc(p string) bool { return docExts[strings.ToLower(path.Ext(p))] }

// ignoredDirs are never entered.
var ignoredDirs = map[string]bool{
	"node_modules": true, ".git": true, ".hg": true, ".svn": true,
	"bower_components": true, "jspm_packages": true, "coverage": true, ".nyc_output": true,
}

// buildDirs hold build output: read only when the service has no other
// source file.
var buildDirs = map[string]bool{"dist": true, "build": true, "out": true, ".next": true}

// fileJob is one file selected for reading.
type fileJob struct {
	path string
	doc  bool
	test bool   // a source file that is a test or fixture (IsTest)
	key  string // content key, "" when unknown
}

// fileResult is what a worker found in one file.
type fileResult struct {
	ev      []Evidence
	skipped string // skip reason, "" when read
}

// Service scans the directory dir of fsys, whose root is the repository
// root, for evidence: JavaScript/TypeScript sources through File and
// documentation (.md .markdown .txt .rst) through Doc into Result.Docs.
// Tests and fixtures (IsTest) are scanned too, but only for what could be
// taken for the service's own handshake or shutdown code (Handshake,
// WorkerHandshake, SignalHandler, ShutdownMessage), in Context InTest; a
// test file that mentions neither process nor cluster is not lexed.
//
// It skips node_modules, VCS directories and coverage output, minified
// files (*.min.js), PM2 ecosystem files (configuration, not code), and
// build output directories (dist, build, out,
// .next at any depth) unless the service has no other source file.
// Symbolic links are never followed: they are skipped and counted.
// Files are read and scanned by opts.Workers goroutines, so fsys must be
// safe for concurrent use (concurrent Open, Read and Close of distinct
// files); os.DirFS and fstest.MapFS are. Only Open and ReadDir are used
// (through fs.WalkDir), and at most MaxFileSize+1 bytes of any file are
// read.
//
// dir must be a valid fs path ("." for the root). Errors: an invalid or
// missing dir, dir being a symlink or not a directory, an unreadable
// directory or file (wrapped with its path), and ctx.Err() when ctx is
// done. Limits never produce an error: they set Truncated and Limit.
func Service(ctx context.Context, fsys fs.FS, dir string, opts Options) (*Result, error) {
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = DefaultMaxFiles
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if !fs.ValidPath(dir) {
		return nil, fmt.Errorf("scan service %q: invalid path (must be slash-separated, relative, without ..)", dir)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info, err := fs.Lstat(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("scan service %q: %w", dir, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("scan service %q: is a symbolic link, not followed", dir)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("scan service %q: not a directory", dir)
	}

	res := &Result{Dir: dir, SkippedBy: map[string]int{}}
	jobs, err := collect(ctx, fsys, dir, opts, res)
	if err != nil {
		return nil, err
	}
	results := make([]fileResult, len(jobs))
	if err := readAll(ctx, fsys, jobs, results, opts); err != nil {
		return nil, err
	}
	for i, r := range results {
		switch {
		case r.skipped != "":
			res.Skipped++
			res.SkippedBy[r.skipped]++
			if r.skipped == SkipTooLarge {
				res.addLimit(LimitMaxFileSize)
				res.TooLarge = append(res.TooLarge, jobs[i].path)
			}
		case jobs[i].doc:
			res.DocFiles++
			res.Docs = append(res.Docs, r.ev...)
		default:
			res.Files++
			if jobs[i].test {
				res.TestFiles++
			}
			res.Evidence = append(res.Evidence, r.ev...)
		}
	}
	slices.Sort(res.TooLarge)
	res.Evidence = sortEvidence(res.Evidence)
	res.Docs = sortEvidence(res.Docs)
	if len(res.SkippedBy) == 0 {
		res.SkippedBy = nil
	}
	return res, nil
}

// addLimit sets Truncated and records the limit name once.
func (r *Result) addLimit(name string) {
	r.Truncated = true
	for _, l := range strings.Split(r.Limit, ",") {
		if l == name {
			return
		}
	}
	if r.Limit != "" {
		r.Limit += ","
	}
	r.Limit += name
}

// collect walks dir and selects the files to read, in lexical order.
func collect(ctx context.Context, fsys fs.FS, dir string, opts Options, res *Result) ([]fileJob, error) {
	var jobs, build []fileJob
	buildSources := 0
	sources := 0
	full := false
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("scan service %q: %w", dir, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			res.Skipped++
			res.SkippedBy[SkipSymlink]++
			return nil
		}
		if d.IsDir() {
			if p != dir && ignoredDirs[name] {
				return fs.SkipDir
			}
			return nil
		}
		src, doc := IsSource(name), IsDoc(name)
		if !src && !doc {
			return nil
		}
		if !mode.IsRegular() {
			res.Skipped++
			res.SkippedBy[SkipIrregular]++
			return nil
		}
		if src && isMinified(name) {
			res.Skipped++
			res.SkippedBy[SkipMinified]++
			return nil
		}
		if src && ecosystem.IsCandidate(p) {
			// The config's own `PORT: 3001` or a comment about wait_ready
			// is not evidence of what the code does.
			res.Skipped++
			res.SkippedBy[SkipConfig]++
			return nil
		}
		if len(jobs)+len(build) >= opts.MaxFiles {
			full = true
			return fs.SkipAll
		}
		job := fileJob{path: p, doc: doc, test: src && IsTest(dir, p)}
		if ck, ok := d.(ContentKeyer); ok && opts.Cache != nil {
			job.key = ck.ContentKey()
		}
		if inBuildDir(dir, p) {
			build = append(build, job)
			if src {
				buildSources++
			}
			return nil
		}
		if src {
			sources++
		}
		jobs = append(jobs, job)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if full {
		res.addLimit(LimitMaxFiles)
	}
	if sources > 0 || buildSources == 0 {
		res.Skipped += len(build)
		if len(build) > 0 {
			res.SkippedBy[SkipBuildOutput] += len(build)
		}
		return jobs, nil
	}
	// No source outside build output: the build output is the service.
	jobs = append(jobs, build...)
	return jobs, nil
}

// inBuildDir reports whether p (under dir) has a build output directory
// among its directories below dir.
func inBuildDir(dir, p string) bool {
	rel := p
	if dir != "." {
		rel = strings.TrimPrefix(p, dir+"/")
	}
	for {
		i := strings.IndexByte(rel, '/')
		if i < 0 {
			return false
		}
		if buildDirs[rel[:i]] {
			return true
		}
		rel = rel[i+1:]
	}
}

func isMinified(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, ".min.")
}

// readAll reads and scans jobs with a bounded pool of workers, each with
// its own buffers. The first error stops the others; no partial result
// is returned.
func readAll(parent context.Context, fsys fs.FS, jobs []fileJob, results []fileResult, opts Options) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	workers := min(opts.Workers, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			for i := range next {
				if ctx.Err() != nil {
					continue
				}
				job := jobs[i]
				k := cacheKey{path: job.path, content: job.key, doc: job.doc, test: job.test}
				if job.key != "" {
					if r, ok := opts.Cache.get(k); ok {
						results[i] = r
						continue
					}
				}
				r, err := w.scan(fsys, job, opts.MaxFileSize)
				if err != nil {
					cancel(err)
					continue
				}
				if job.key != "" {
					opts.Cache.put(k, r)
				}
				results[i] = r
			}
		}()
	}
feed:
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	return context.Cause(ctx)
}

// worker holds the buffers one goroutine reuses across files.
type worker struct {
	buf []byte
	fs  fileScanner
}

// scan reads one file (at most max+1 bytes) and scans it.
func (w *worker) scan(fsys fs.FS, job fileJob, max int64) (fileResult, error) {
	f, err := fsys.Open(job.path)
	if err != nil {
		return fileResult{}, fmt.Errorf("scan: open %s: %w", job.path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if st.Size() > max {
			return fileResult{skipped: SkipTooLarge}, nil
		}
		if int64(cap(w.buf)) <= st.Size() {
			w.buf = make([]byte, 0, st.Size()+1) // +1: room for the EOF read
		}
	}
	buf, err := readLimited(f, w.buf[:0], max)
	w.buf = buf
	if err != nil {
		return fileResult{}, fmt.Errorf("scan: read %s: %w", job.path, err)
	}
	if int64(len(buf)) > max {
		return fileResult{skipped: SkipTooLarge}, nil
	}
	src := w.buf
	if bytes.IndexByte(src[:min(len(src), 8000)], 0) >= 0 {
		return fileResult{skipped: SkipBinary}, nil
	}
	if job.doc {
		return fileResult{ev: Doc(job.path, src)}, nil
	}
	return fileResult{ev: w.fs.file(job.path, src, job.test)}, nil
}

// readLimited appends r's content to buf, stopping once more than max
// bytes were read (the caller checks len(buf) > max).
func readLimited(r io.Reader, buf []byte, max int64) ([]byte, error) {
	for int64(len(buf)) <= max {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := min(int64(cap(buf)), max+1)
		n, err := r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}
