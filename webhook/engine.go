package webhook

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/change"
	"github.com/auditbot/auditbot/report"
)

// Engine is the production Auditor, Renderer and Fetcher: the same engine,
// report and git reader as `auditbot report`.
type Engine struct {
	// Version is written into documents and reports.
	Version string
	// Now gives the report date; nil means time.Now.
	Now func() time.Time
}

var (
	_ Auditor  = Engine{}
	_ Renderer = Engine{}
	_ Fetcher  = Engine{}
)

// Audit audits base..head with the engine.
func (e Engine) Audit(ctx context.Context, repo *git.Repository, base, head string) (*audit.Document, error) {
	doc, err := audit.RunRange(ctx, repo, base+".."+head, audit.Options{Version: e.Version})
	if err != nil {
		return nil, fmt.Errorf("audit %s..%s: %w", short(base), short(head), err)
	}
	return doc, nil
}

// Render writes the Markdown report, at most maxBytes long.
func (e Engine) Render(doc *audit.Document, lang string, maxBytes int) (string, error) {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	var buf bytes.Buffer
	opt := report.Options{Lang: lang, Now: now().UTC(), Version: e.Version, MaxBytes: maxBytes}
	if err := report.Markdown(&buf, doc, opt); err != nil {
		return "", fmt.Errorf("render report: %w", err)
	}
	return buf.String(), nil
}

// Fetch fetches the given commits into memory over HTTPS, authenticated
// as GitHub Apps are with an installation token (user x-access-token).
func (e Engine) Fetch(ctx context.Context, cloneURL, token string, shas ...string) (*git.Repository, error) {
	var auth *githttp.BasicAuth
	if token != "" {
		auth = &githttp.BasicAuth{Username: "x-access-token", Password: token}
	}
	var repo *git.Repository
	var err error
	if auth == nil {
		repo, err = change.Fetch(ctx, cloneURL, nil, shas...)
	} else {
		repo, err = change.Fetch(ctx, cloneURL, auth, shas...)
	}
	if err != nil {
		return nil, fmt.Errorf("fetch %d commits: %w", len(shas), err)
	}
	return repo, nil
}
