// Package webhook is auditbot's GitHub App server: it receives webhook
// deliveries, records each with its audit job in a durable queue (River on
// SQLite, or PostgreSQL for replicas) before acknowledging it, and audits
// pull requests that touch PM2 configuration in a bounded pool of workers,
// keeping one report comment and one check run per pull request up to
// date.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fastjson"
	"golang.org/x/sync/semaphore"

	"github.com/auditbot/auditbot/audit"
	"github.com/auditbot/auditbot/audit/secret"
	"github.com/auditbot/auditbot/report"
	"github.com/auditbot/auditbot/webhook/githubapi"
)

// Auditor audits the change base..head in a fetched repository.
type Auditor interface {
	Audit(ctx context.Context, repo *git.Repository, base, head string) (*audit.Document, error)
}

// Renderer writes the comment body (Markdown) for a document, at most
// maxBytes.
type Renderer interface {
	Render(doc *audit.Document, opt RenderOptions) (string, error)
}

// Fetcher gets the repository at the given commits. The repository stays
// readable until release is called (a cached repository is never evicted
// while in use); the job calls it once the audit is done. A Fetcher that
// is also a prometheus.Collector has its metrics served on /metrics.
type Fetcher interface {
	Fetch(ctx context.Context, cloneURL string, token string, shas ...string) (repo *git.Repository, release func(), err error)
}

// Config is the server's configuration. Zero durations and sizes take the
// defaults named on each field.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:8080" (AUDITBOT_ADDR).
	Addr string
	// WebhookSecret is the App's webhook secret (AUDITBOT_WEBHOOK_SECRET).
	// Required.
	WebhookSecret string
	// AppID and PrivateKey (PEM) select App mode (AUDITBOT_APP_ID,
	// AUDITBOT_PRIVATE_KEY_FILE).
	AppID      int64
	PrivateKey []byte
	// Token selects token mode (AUDITBOT_GITHUB_TOKEN). Exactly one of App
	// mode and token mode must be configured.
	Token string
	// BaseURL is the REST API base URL (AUDITBOT_GITHUB_URL); default
	// "https://api.github.com/", or a GitHub Enterprise "https://HOST/api/v3/".
	BaseURL string
	// Workers audit in parallel (AUDITBOT_WORKERS). Default 2.
	Workers int
	// QueueSize bounds the audit jobs not finished, queued, running or
	// waiting for a retry (AUDITBOT_QUEUE_SIZE); past it deliveries are
	// answered 503. Default 1,000.
	QueueSize int
	// DataDir holds the embedded SQLite queue (AUDITBOT_DATA_DIR). Default
	// "./auditbot-data". Unused with DatabaseURL.
	DataDir string
	// DatabaseURL, when set, is a PostgreSQL URL (postgres://…) for the
	// queue, shared by any number of replicas (AUDITBOT_DATABASE_URL).
	DatabaseURL string
	// DatabaseSchema is the PostgreSQL schema of the queue's tables;
	// default the connection's search_path.
	DatabaseSchema string
	// ReconcileInterval is how often, in App mode, the App's recent
	// deliveries are listed and failed ones redelivered
	// (AUDITBOT_RECONCILE_INTERVAL). Default 10 minutes; negative disables.
	ReconcileInterval time.Duration
	// JobRetry bounds the retries of an audit job after a transient
	// failure.
	JobRetry JobRetryPolicy
	// Lang is the report language, "es" (default) or "en" (AUDITBOT_LANG).
	Lang string
	// Version is the program version, shown in the local command hint.
	Version string

	// MaxBodyBytes caps a delivery's body. Default 25 MB, GitHub's cap.
	MaxBodyBytes int64
	// MaxBodyBytesInFlight caps the bytes of the bodies being read at
	// once, counted by their Content-Length (MaxBodyBytes when they have
	// none), before their signature is known; past it deliveries get
	// 503 with Retry-After. Default 4 × MaxBodyBytes.
	MaxBodyBytesInFlight int64
	// HTTP server timeouts. Defaults 5s, 30s, 30s, 120s.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// GitHubTimeout bounds every GitHub API call, retries included.
	// Default 60s.
	GitHubTimeout time.Duration
	// JobTimeout bounds one audit job (fetch, audit and posting). Default
	// 10 minutes.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before the queue
	// takes it for cut off (its process died: kill -9, a lost machine)
	// and retries it. Only PostgreSQL needs it (an SQLite data directory
	// has one server, which requeues at start what it finds running).
	// It must exceed JobTimeout plus the time a job takes to complete its
	// check run (2 × 10 s), or a live job could be run twice. Default
	// JobTimeout + 1m20s.
	RescueAfter time.Duration
	// ShutdownTimeout bounds the draining of jobs in hand on shutdown.
	// Default 60s.
	ShutdownTimeout time.Duration
	// Retry bounds the retries of GitHub calls.
	Retry githubapi.RetryPolicy
}

// JobRetryPolicy is how an audit job is retried after a transient failure
// (a GitHub 5xx or rate limit outlasting the call's own retries, a git
// fetch error, a timeout): after BaseDelay, doubling up to MaxDelay, with
// jitter, for MaxAttempts attempts in all.
type JobRetryPolicy struct {
	// MaxAttempts, default 8 (about 40 minutes with the default delays).
	MaxAttempts int
	// BaseDelay, default 10s; MaxDelay, default 10m.
	BaseDelay, MaxDelay time.Duration
}

// Deps are the server's collaborators.
type Deps struct {
	Auditor  Auditor
	Renderer Renderer
	Fetcher  Fetcher
	// Clients, when nil, is built from Config (App mode or token mode).
	Clients githubapi.ClientCreator
	// CloneURL, when nil, derives git URLs from Config.BaseURL.
	CloneURL githubapi.CloneURLFunc
	// Transport, when set, sends GitHub API requests (below retries).
	Transport http.RoundTripper
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.QueueSize <= 0 {
		c.QueueSize = 1000
	}
	if c.DataDir == "" {
		c.DataDir = "auditbot-data"
	}
	if c.ReconcileInterval == 0 {
		c.ReconcileInterval = 10 * time.Minute
	}
	if c.JobRetry.MaxAttempts <= 0 {
		c.JobRetry.MaxAttempts = 8
	}
	def(&c.JobRetry.BaseDelay, 10*time.Second)
	def(&c.JobRetry.MaxDelay, 10*time.Minute)
	if c.Lang == "" {
		c.Lang = "es"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = githubapi.MaxWebhookPayload
	}
	if c.MaxBodyBytesInFlight < c.MaxBodyBytes {
		c.MaxBodyBytesInFlight = 4 * c.MaxBodyBytes
	}
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.ReadTimeout, 30*time.Second)
	def(&c.WriteTimeout, 30*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.GitHubTimeout, 60*time.Second)
	def(&c.JobTimeout, 10*time.Minute)
	def(&c.RescueAfter, c.JobTimeout+2*finishCheckTimeout+time.Minute)
	def(&c.ShutdownTimeout, 60*time.Second)
	return c
}

// Server is the GitHub App server. Build it with NewServer; its workers
// run from then until Shutdown (or the end of Run).
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	metrics *metrics
	handler http.Handler

	store    *store
	closing  atomic.Bool
	started  atomic.Bool
	baseCtx  context.Context
	cancel   context.CancelFunc
	stopOnce sync.Once
	stopErr  error

	// parsers decode deliveries' JSON, one delivery at a time each;
	// bodies holds *[]byte buffers that delivery bodies are read into.
	parsers fastjson.ParserPool
	bodies  sync.Pool
	macs    *macPool
	// bodyBudget holds the bytes of the bodies being read at once
	// (Config.MaxBodyBytesInFlight).
	bodyBudget *semaphore.Weighted
}

// NewServer checks the configuration, builds the GitHub clients, opens and
// migrates the queue's database and starts the workers.
func NewServer(cfg Config, deps Deps, logger *slog.Logger) (*Server, error) {
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// Errors of HTTP clients and git remotes quote the URLs they called:
	// no query (?token=…), fragment or password reaches the log.
	logger = slog.New(secret.RedactingHandler(logger.Handler()))
	if strings.TrimSpace(cfg.WebhookSecret) == "" {
		return nil, errors.New("webhook secret is required and must not be blank: without it anyone could trigger audits")
	}
	if !slices.Contains(report.Languages(), cfg.Lang) {
		return nil, fmt.Errorf("language %q: want one of %s", cfg.Lang, strings.Join(report.Languages(), ", "))
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		return nil, fmt.Errorf("rescue delay %v must exceed the job timeout %v: a running job would be retried while it runs", cfg.RescueAfter, cfg.JobTimeout)
	}
	if deps.Auditor == nil || deps.Renderer == nil || deps.Fetcher == nil {
		return nil, errors.New("webhook server needs an Auditor, a Renderer and a Fetcher")
	}
	s := &Server{cfg: cfg, deps: deps, log: logger, metrics: newMetrics()}
	if c, ok := deps.Fetcher.(prometheus.Collector); ok {
		if err := s.metrics.reg.Register(c); err != nil {
			return nil, fmt.Errorf("fetcher metrics: %w", err)
		}
	}
	if deps.Clients == nil {
		opts := githubapi.Options{
			BaseURL:   cfg.BaseURL,
			Transport: deps.Transport,
			Timeout:   cfg.GitHubTimeout,
			Retry:     cfg.Retry,
			Observe:   s.metrics.observeGitHub,
			OnRetry: func(req *http.Request, attempt, status int, wait time.Duration) {
				s.log.Warn("retrying GitHub call", "method", req.Method, "path", req.URL.Path,
					"attempt", attempt, "status", status, "wait", wait)
			},
		}
		appMode := cfg.AppID != 0 || len(cfg.PrivateKey) > 0
		var err error
		switch {
		case appMode && cfg.Token != "":
			return nil, errors.New("configure either a GitHub App (app id and private key) or a token, not both")
		case appMode:
			if cfg.AppID == 0 || len(cfg.PrivateKey) == 0 {
				return nil, errors.New("GitHub App mode needs both the app id and the private key")
			}
			deps.Clients, err = githubapi.NewAppClients(cfg.AppID, cfg.PrivateKey, opts)
		case cfg.Token != "":
			deps.Clients, err = githubapi.NewTokenClients(cfg.Token, opts)
		default:
			return nil, errors.New("no GitHub credentials: configure a GitHub App (app id and private key) or a token")
		}
		if err != nil {
			return nil, err
		}
	}
	if deps.CloneURL == nil {
		f, err := githubapi.CloneURLs(cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		deps.CloneURL = f
	}
	s.deps = deps
	s.baseCtx, s.cancel = context.WithCancel(context.Background())
	s.bodies.New = func() any { return new([]byte) }
	s.macs = newMACPool(cfg.WebhookSecret)
	s.bodyBudget = semaphore.NewWeighted(cfg.MaxBodyBytesInFlight)
	if err := s.startQueue(); err != nil {
		s.cancel()
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// Handler is the server's HTTP handler (POST /webhook, GET /healthz,
// /readyz and /metrics).
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on Config.Addr until ctx is cancelled; it then stops
// accepting, drains the jobs in hand within Config.ShutdownTimeout and
// returns nil.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		s.Shutdown(context.Background()) //nolint:errcheck // nothing was accepted: returns at once
		return fmt.Errorf("listening on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener of the caller's.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("auditbot webhook server listening", "addr", ln.Addr().String(), "workers", s.cfg.Workers,
		"queue", s.cfg.QueueSize, "database", s.store.kind)
	select {
	case err := <-errc:
		sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
		defer cancel()
		s.Shutdown(sctx) //nolint:errcheck // the serving error is the one to report
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	s.closing.Store(true)
	if err := hs.Shutdown(sctx); err != nil {
		s.log.Warn("closing HTTP connections", "err", err)
	}
	if err := s.Shutdown(sctx); err != nil {
		s.log.Warn("jobs left unfinished at shutdown", "err", err)
	}
	s.log.Info("auditbot webhook server stopped")
	return nil
}

// Shutdown stops taking deliveries (they are answered 503) and work,
// lets the running jobs finish until ctx ends, then cancels them: they go
// back to the queue, with the jobs not started, for the next start of any
// replica. It returns ctx's error when jobs had to be cut off.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.closing.Store(true)
		err := s.store.client.Stop(ctx)
		if err != nil {
			s.log.Warn("jobs still running at the end of the shutdown timeout; cancelling them (they go back to the queue)")
			cctx, cancel := context.WithTimeout(context.Background(), finishCheckTimeout)
			defer cancel()
			if cerr := s.store.client.StopAndCancel(cctx); cerr != nil {
				s.log.Error("stopping the job queue", "err", cerr)
			}
			s.stopErr = fmt.Errorf("draining jobs: %w", err)
		}
		s.cancel()
		s.store.close()
	})
	return s.stopErr
}
