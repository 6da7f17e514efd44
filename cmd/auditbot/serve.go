package main

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/auditbot/auditbot/audit/secret"
	"github.com/auditbot/auditbot/webhook"
	"github.com/auditbot/auditbot/webhook/repocache"
)

// serveSetting is one setting of `auditbot serve`: a flag whose default
// comes from an environment variable.
type serveSetting struct {
	flag, env, usage string
}

func newServeCmd() *cobra.Command {
	var (
		cfg            webhook.Config
		appID          string
		privateKeyFile string
		logFormat      string
		cacheSize      string
	)
	settings := []struct {
		s   serveSetting
		ptr any
		def string
	}{
		{serveSetting{"addr", "AUDITBOT_ADDR", "listen address"}, &cfg.Addr, "127.0.0.1:8080"},
		{serveSetting{"webhook-secret", "AUDITBOT_WEBHOOK_SECRET", "the App's webhook secret (required; prefer the environment variable)"}, &cfg.WebhookSecret, ""},
		{serveSetting{"app-id", "AUDITBOT_APP_ID", "GitHub App id (App mode)"}, &appID, ""},
		{serveSetting{"private-key-file", "AUDITBOT_PRIVATE_KEY_FILE", "GitHub App private key, PEM file (App mode)"}, &privateKeyFile, ""},
		{serveSetting{"github-token", "AUDITBOT_GITHUB_TOKEN", "token for a single repository (token mode; prefer the environment variable)"}, &cfg.Token, ""},
		{serveSetting{"github-url", "AUDITBOT_GITHUB_URL", "REST API base URL; GitHub Enterprise: https://HOST/api/v3/"}, &cfg.BaseURL, "https://api.github.com/"},
		{serveSetting{"workers", "AUDITBOT_WORKERS", "audits run in parallel"}, &cfg.Workers, "2"},
		{serveSetting{"queue-size", "AUDITBOT_QUEUE_SIZE", "audit jobs not finished (queued, running, retrying) before deliveries get 503"}, &cfg.QueueSize, "1000"},
		{serveSetting{"database-url", "AUDITBOT_DATABASE_URL", "PostgreSQL URL (postgres://…) for a job queue shared by replicas, instead of SQLite (prefer the environment variable)"}, &cfg.DatabaseURL, ""},
		{serveSetting{"reconcile-interval", "AUDITBOT_RECONCILE_INTERVAL", "how often (App mode) failed deliveries are listed and redelivered"}, &cfg.ReconcileInterval, "10m"},
		{serveSetting{"lang", "AUDITBOT_LANG", "report language: es or en"}, &cfg.Lang, "es"},
		{serveSetting{"job-timeout", "AUDITBOT_JOB_TIMEOUT", "time limit of one audit job"}, &cfg.JobTimeout, "10m"},
		{serveSetting{"github-timeout", "AUDITBOT_GITHUB_TIMEOUT", "time limit of one GitHub API call, retries included"}, &cfg.GitHubTimeout, "60s"},
		{serveSetting{"shutdown-timeout", "AUDITBOT_SHUTDOWN_TIMEOUT", "time to let running jobs finish on SIGINT/SIGTERM; the rest stay queued for the next start"}, &cfg.ShutdownTimeout, "60s"},
		{serveSetting{"log-format", "AUDITBOT_LOG_FORMAT", "log format: text or json"}, &logFormat, "text"},
		{serveSetting{"data-dir", "AUDITBOT_DATA_DIR", "directory of the server's data: the SQLite job queue (one server per directory) and the repository cache in cache/"}, &cfg.DataDir, "./auditbot-data"},
		{serveSetting{"cache-size", "AUDITBOT_CACHE_SIZE", "bound of the repository cache on disk, e.g. 5GiB or 500MB"}, &cacheSize, "5GiB"},
	}
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the GitHub App server",
		Long: `Run auditbot's GitHub App server: POST /webhook receives deliveries, GET
/healthz, /readyz and /metrics serve probes and Prometheus metrics.

Every setting is a flag whose default is read from the environment variable
named in its help. Configure either App mode (--app-id and
--private-key-file) or token mode (--github-token). Secrets are never logged.

Each delivery is stored with its audit job before it is acknowledged: in an
SQLite file under --data-dir by default, or in PostgreSQL with
--database-url, which any number of replicas can share. Jobs left by a stop
or a crash run at the next start.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			// Checked first, before anything is created on disk.
			if strings.TrimSpace(cfg.WebhookSecret) == "" {
				return &exitCodeError{code: exitError, err: errors.New("the webhook secret is empty or blank: set --webhook-secret or AUDITBOT_WEBHOOK_SECRET to the App's webhook secret (a long random string), or anyone could trigger audits")}
			}
			if appID != "" {
				id, err := strconv.ParseInt(appID, 10, 64)
				if err != nil || id <= 0 {
					return &exitCodeError{code: exitError, err: fmt.Errorf("bad --app-id %q: want a positive number", appID)}
				}
				cfg.AppID = id
			}
			if privateKeyFile != "" {
				key, err := os.ReadFile(privateKeyFile)
				if err != nil {
					return &exitCodeError{code: exitError, err: fmt.Errorf("read private key: %w", err)}
				}
				cfg.PrivateKey = key
			}
			var handler slog.Handler
			switch logFormat {
			case "json":
				handler = slog.NewJSONHandler(c.ErrOrStderr(), nil)
			case "text":
				handler = slog.NewTextHandler(c.ErrOrStderr(), nil)
			default:
				return &exitCodeError{code: exitError, err: fmt.Errorf("unknown --log-format %q: want text or json", logFormat)}
			}
			logger := slog.New(secret.RedactingHandler(handler))
			cfg.Version = buildVersion()
			maxBytes, err := humanize.ParseBytes(cacheSize)
			if err != nil || maxBytes == 0 || maxBytes > math.MaxInt64 {
				return &exitCodeError{code: exitError, err: fmt.Errorf("bad --cache-size %q: want a size such as 5GiB or 500MB", cacheSize)}
			}
			cache, err := repocache.New(repocache.Config{Dir: filepath.Join(cfg.DataDir, "cache"), MaxBytes: int64(maxBytes), Logger: logger})
			if err != nil {
				return &exitCodeError{code: exitError, err: err}
			}
			engine := webhook.Engine{Version: cfg.Version, Cache: cache}
			srv, err := webhook.NewServer(cfg, webhook.Deps{Auditor: engine, Renderer: engine, Fetcher: engine}, logger)
			if err != nil {
				return &exitCodeError{code: exitError, err: err}
			}
			logger.Info("auditbot serving", "addr", cfg.Addr, "version", cfg.Version, "lang", cfg.Lang, "workers", cfg.Workers,
				"data_dir", cfg.DataDir, "cache_size", humanize.IBytes(maxBytes))
			if err := srv.Run(c.Context()); err != nil {
				return &exitCodeError{code: exitError, err: err}
			}
			logger.Info("auditbot stopped")
			return nil
		},
	}
	f := c.Flags()
	for _, st := range settings {
		if err := addEnvFlag(f, st.s, st.ptr, st.def); err != nil {
			// A malformed environment value is reported when the command
			// runs, with the variable's name.
			c.PreRunE = func(*cobra.Command, []string) error { return &exitCodeError{code: exitError, err: err} }
		}
	}
	return c
}

// addEnvFlag defines a flag whose default is the environment variable's
// value when set, else def. Its help names the variable.
func addEnvFlag(f *pflag.FlagSet, s serveSetting, ptr any, def string) error {
	val := def
	if v, ok := os.LookupEnv(s.env); ok {
		val = v
	}
	usage := fmt.Sprintf("%s [$%s]", s.usage, s.env)
	// Secrets are not shown as defaults in --help.
	shown := val
	if s.flag == "webhook-secret" || s.flag == "github-token" || s.flag == "database-url" {
		shown = ""
	}
	var err error
	switch p := ptr.(type) {
	case *string:
		f.StringVar(p, s.flag, shown, usage)
		*p = val
	case *int:
		n, perr := strconv.Atoi(val)
		if perr != nil {
			err = fmt.Errorf("$%s=%q: want a whole number", s.env, val)
		}
		f.IntVar(p, s.flag, n, usage)
	case *time.Duration:
		d, perr := time.ParseDuration(val)
		if perr != nil {
			err = fmt.Errorf("$%s=%q: want a duration such as 30s or 10m", s.env, val)
		}
		f.DurationVar(p, s.flag, d, usage)
	default:
		return fmt.Errorf("flag %s: unsupported type %T", s.flag, ptr)
	}
	return err
}
