package webhook

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/report"
	"github.com/auditbot/auditbot/webhook/repocache"
)

// Engine is the production Auditor, Renderer and Fetcher: the same engine,
// report and git reader as `auditbot report`.
type Engine struct {
	// Version is written into documents and reports.
	Version string
	// Now gives the report date; nil means time.Now.
	Now func() time.Time
	// Cache, when set, keeps one repository per remote on disk, fetched
	// incrementally (the server's --data-dir and --cache-size).
	Cache *repocache.Cache
}

var (
	_ Auditor  = Engine{}
	_ Renderer = Engine{}
	_ Fetcher  = Engine{}

	_ prometheus.Collector = Engine{}
)

// Audit audits base..head with the engine.
func (e Engine) Audit(ctx context.Context, repo *git.Repository, base, head string) (*audit.Document, error) {
	doc, err := audit.RunRange(ctx, repo, base+".."+head, audit.Options{Version: e.Version})
	if err != nil {
		return nil, fmt.Errorf("audit %s..%s: %w", short(base), short(head), err)
	}
	return doc, nil
}

// Render writes the Markdown report for a pull request comment, at most
// opt.MaxBytes long: links absolute to opt.RepoURL, what the pull request
// shows itself linked rather than copied.
func (e Engine) Render(doc *audit.Document, opt RenderOptions) (string, error) {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	var buf bytes.Buffer
	ro := report.Options{Lang: opt.Lang, Now: now().UTC(), Version: e.Version, MaxBytes: opt.MaxBytes, RepoURL: opt.RepoURL, Comment: true}
	if err := report.Markdown(&buf, doc, ro); err != nil {
		return "", fmt.Errorf("render report: %w", err)
	}
	return buf.String(), nil
}

// Fetch fetches the given commits over HTTPS, authenticated as GitHub
// Apps are with an installation token (user x-access-token), into the
// repository cache when the engine has one, else into a temporary
// repository on disk that release removes. Either way the packfile goes
// to disk and no object is ever held in memory whole (no in-memory
// storage of the tree), whatever the repository's size.
func (e Engine) Fetch(ctx context.Context, cloneURL, token string, shas ...string) (*git.Repository, func(), error) {
	var auth transport.AuthMethod
	if token != "" {
		auth = &githttp.BasicAuth{Username: "x-access-token", Password: token}
	}
	if e.Cache != nil {
		repo, release, err := e.Cache.Fetch(ctx, cloneURL, auth, shas...)
		if err != nil {
			return nil, nil, fmt.Errorf("fetch %d commits: %w", len(shas), err)
		}
		return repo, release, nil
	}
	dir, err := os.MkdirTemp("", "auditbot-fetch-")
	if err != nil {
		return nil, nil, fmt.Errorf("fetch: %w", err)
	}
	release := func() { _ = os.RemoveAll(dir) }
	repo, _, err := change.FetchTo(ctx, dir, cloneURL, auth, shas...)
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("fetch %d commits: %w", len(shas), err)
	}
	return repo, sync.OnceFunc(release), nil
}

// Describe implements prometheus.Collector: the cache's metrics.
func (e Engine) Describe(ch chan<- *prometheus.Desc) {
	if e.Cache != nil {
		e.Cache.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (e Engine) Collect(ch chan<- prometheus.Metric) {
	if e.Cache != nil {
		e.Cache.Collect(ch)
	}
}
