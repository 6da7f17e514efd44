package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// River queues and job kinds.
const (
	// queueAudit holds the audit jobs, worked by Config.Workers workers.
	queueAudit = "audit"
	// queueMaintenance holds the reconcile job, one at a time.
	queueMaintenance = "maintenance"
	kindAudit        = "auditbot_audit"
	kindReconcile    = "auditbot_reconcile"
)

// sqlitePollInterval is how often the SQLite queue is polled for jobs
// that became available.
const sqlitePollInterval = 200 * time.Millisecond

// sqliteFile is the embedded database's file name under Config.DataDir.
const sqliteFile = "auditbot.db"

// deliveryRetention is how long delivery ids are remembered for dedup:
// longer than GitHub keeps deliveries for redelivery (3 days).
const deliveryRetention = 7 * 24 * time.Hour

// prLockWait is how long a job waits (snoozed, no attempt used) before
// trying again when another job of its pull request is running.
const prLockWait = 300 * time.Millisecond

// pendingStates are the states of a job still to finish.
const pendingStates = "('available','pending','retryable','running','scheduled')"

// auditArgs is an audit job as stored in the queue: one pull request at one
// head, asked by one delivery.
type auditArgs struct {
	Delivery     string    `json:"delivery" river:"unique"`
	Event        string    `json:"event"`
	Action       string    `json:"action"`
	Owner        string    `json:"owner"`
	Repo         string    `json:"repo"`
	Number       int       `json:"number"`
	Installation int64     `json:"installation"`
	Head         string    `json:"head,omitempty"`
	Base         string    `json:"base,omitempty"`
	Received     time.Time `json:"received"`
}

// Kind implements river.JobArgs.
func (auditArgs) Kind() string { return kindAudit }

// InsertOpts implements river.JobArgsWithInsertOpts: one job per delivery
// id (the dedup table says so first, in the same transaction).
func (auditArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueAudit, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func argsOf(j *job) auditArgs {
	return auditArgs{Delivery: j.delivery, Event: j.event, Action: j.action, Owner: j.owner, Repo: j.repo,
		Number: j.number, Installation: j.installation, Head: j.head, Base: j.base, Received: j.received}
}

func (a auditArgs) job() *job {
	return &job{delivery: a.Delivery, event: a.Event, action: a.Action, owner: a.Owner, repo: a.Repo,
		number: a.Number, installation: a.Installation, head: a.Head, base: a.Base, received: a.Received,
		prKey: a.Owner + "/" + a.Repo + "#" + strconv.Itoa(a.Number)}
}

// job is the audit of one pull request at one head, asked by one delivery.
type job struct {
	delivery, event, action string
	owner, repo             string
	number                  int
	installation            int64
	// head and base are empty for an /auditbot command: the pull request
	// is then read to know them.
	head, base string
	received   time.Time
	prKey      string // "owner/repo#number", set by newJob
}

// key names the job's pull request.
func (j *job) key() string { return j.prKey }

type enqueueResult int

const (
	enqueued enqueueResult = iota
	duplicate
	full
	stopping
)

// riverClient is what the server uses of a *river.Client, whatever its
// driver's transaction type.
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// txQuerier runs the server's own statements inside the enqueue
// transaction.
type txQuerier interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	queryInt(ctx context.Context, q string, args ...any) (int64, error)
}

// store is the job queue's database: River's tables and the server's own
// (delivery dedup, per pull request state), in SQLite or PostgreSQL.
type store struct {
	kind   string  // "sqlite" or "postgres"
	db     *sql.DB // the server's own queries
	client riverClient
	rebind func(string) string
	// inTx runs fn in one transaction; insert adds a River job to it.
	inTx  func(ctx context.Context, fn func(q txQuerier, insert func(river.JobArgs) (*rivertype.JobInsertResult, error)) error) error
	close func()
}

// ownSchema is the server's own tables, in the SQL SQLite and PostgreSQL
// share.
var ownSchema = []string{
	`CREATE TABLE IF NOT EXISTS auditbot_delivery (
		id TEXT PRIMARY KEY,
		received_at BIGINT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS auditbot_delivery_received_at ON auditbot_delivery (received_at)`,
	// One row per pull request: the last job inserted for it (and its
	// head), and the job holding its running slot.
	`CREATE TABLE IF NOT EXISTS auditbot_pull_request (
		pr_key TEXT PRIMARY KEY,
		latest_job BIGINT NOT NULL,
		latest_head TEXT NOT NULL,
		lock_job BIGINT NOT NULL DEFAULT 0
	)`,
	// Named values: the time of the last reconcile.
	`CREATE TABLE IF NOT EXISTS auditbot_state (
		name TEXT PRIMARY KEY,
		value BIGINT NOT NULL
	)`,
}

// openStore opens the database (SQLite under cfg.DataDir, or PostgreSQL at
// cfg.DatabaseURL), migrates River's and the server's tables, and builds
// the River client from rc.
func openStore(ctx context.Context, cfg Config, rc *river.Config, log *slog.Logger) (*store, error) {
	if cfg.DatabaseURL != "" {
		return openPostgres(ctx, cfg, rc, log)
	}
	return openSQLite(ctx, cfg, rc, log)
}

func openSQLite(ctx context.Context, cfg Config, rc *river.Config, log *slog.Logger) (*store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	// One process per SQLite file: jobs it finds running were cut off.
	unlock, err := lockDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.DataDir, sqliteFile)
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	// SQLite takes one writer at a time; River's driver wants one
	// connection (riversqlite's documentation).
	db.SetMaxOpenConns(1)
	closeAll := func() { db.Close(); unlock() } //nolint:errcheck
	driver := riversqlite.New(db)
	if err := migrate(ctx, driver, db, "", log); err != nil {
		closeAll()
		return nil, err
	}
	// This process holds the directory's lock: a job left running, and a
	// leader, belong to a process that is gone (kill -9, crash). The jobs
	// go back to the queue now rather than after the rescue delay.
	res, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running'`)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("requeueing jobs cut off: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		log.Warn("jobs cut off by the last stop are back in the queue", "jobs", n)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM river_leader`); err != nil {
		closeAll()
		return nil, fmt.Errorf("clearing the last process's leadership: %w", err)
	}
	// No LISTEN in SQLite: jobs put back for later (retries, snoozes) are
	// found by polling, which is cheap on a local file.
	if rc.FetchPollInterval == 0 {
		rc.FetchPollInterval = sqlitePollInterval
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	s := &store{kind: "sqlite", db: db, client: client, rebind: func(q string) string { return q }, close: closeAll}
	s.inTx = func(ctx context.Context, fn func(txQuerier, func(river.JobArgs) (*rivertype.JobInsertResult, error)) error) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
		if err := fn(sqlTx{tx}, func(a river.JobArgs) (*rivertype.JobInsertResult, error) {
			return client.InsertTx(ctx, tx, a, nil)
		}); err != nil {
			return err
		}
		return tx.Commit()
	}
	return s, nil
}

func openPostgres(ctx context.Context, cfg Config, rc *river.Config, log *slog.Logger) (*store, error) {
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("--database-url: not a PostgreSQL connection URL")
	}
	if cfg.DatabaseSchema != "" {
		pcfg.ConnConfig.RuntimeParams["search_path"] = cfg.DatabaseSchema
		rc.Schema = cfg.DatabaseSchema
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	closeAll := func() { db.Close(); pool.Close() } //nolint:errcheck
	driver := riverpgxv5.New(pool)
	// Replicas starting together migrate one after the other.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	const migrationLock = 0x61756469_74626f74 // "auditbot"
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		conn.Release()
		closeAll()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	err = migrate(ctx, driver, db, cfg.DatabaseSchema, log)
	_, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	conn.Release()
	if err := errors.Join(err, uerr); err != nil {
		closeAll()
		return nil, err
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	s := &store{kind: "postgres", db: db, client: client, rebind: dollarParams, close: closeAll}
	s.inTx = func(ctx context.Context, fn func(txQuerier, func(river.JobArgs) (*rivertype.JobInsertResult, error)) error) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it does nothing
		if err := fn(pgxTx{tx}, func(a river.JobArgs) (*rivertype.JobInsertResult, error) {
			return client.InsertTx(ctx, tx, a, nil)
		}); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	return s, nil
}

// migrate brings River's tables and the server's own up to date.
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], db *sql.DB, schema string, log *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Schema: schema, Logger: log})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	for _, q := range ownSchema {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("auditbot tables: %w", err)
		}
	}
	return nil
}

// dollarParams turns the ? placeholders of a statement into PostgreSQL's
// $1, $2, …
func dollarParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t sqlTx) queryInt(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

type pgxTx struct{ tx pgx.Tx }

func (t pgxTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, dollarParams(q), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (t pgxTx) queryInt(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := t.tx.QueryRow(ctx, dollarParams(q), args...).Scan(&n)
	return n, err
}

// enqueue records the delivery and inserts its job in one transaction: a
// delivery id seen before is a duplicate; past maxBacklog unfinished audit
// jobs the queue is full. Nothing is kept of a refused delivery, so
// GitHub's redelivery of it is taken.
func (st *store) enqueue(ctx context.Context, j *job, maxBacklog int) (enqueueResult, int64, error) {
	var res enqueueResult
	var id int64
	errRefused := errors.New("refused")
	err := st.inTx(ctx, func(q txQuerier, insert func(river.JobArgs) (*rivertype.JobInsertResult, error)) error {
		n, err := q.exec(ctx, `INSERT INTO auditbot_delivery (id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
			j.delivery, j.received.Unix())
		if err != nil {
			return fmt.Errorf("recording the delivery: %w", err)
		}
		if n == 0 {
			res = duplicate
			return errRefused
		}
		backlog, err := q.queryInt(ctx, `SELECT count(*) FROM river_job WHERE queue = ? AND state IN `+pendingStates, queueAudit)
		if err != nil {
			return fmt.Errorf("counting the backlog: %w", err)
		}
		if backlog >= int64(maxBacklog) {
			res = full
			return errRefused
		}
		ins, err := insert(argsOf(j))
		if err != nil {
			return fmt.Errorf("inserting the job: %w", err)
		}
		if ins.UniqueSkippedAsDuplicate {
			res = duplicate
			return errRefused
		}
		id = ins.Job.ID
		_, err = q.exec(ctx, `INSERT INTO auditbot_pull_request (pr_key, latest_job, latest_head, lock_job) VALUES (?, ?, ?, 0)
			ON CONFLICT (pr_key) DO UPDATE SET latest_job = excluded.latest_job, latest_head = excluded.latest_head
			WHERE excluded.latest_job > auditbot_pull_request.latest_job`, j.key(), id, j.head)
		if err != nil {
			return fmt.Errorf("recording the pull request's latest job: %w", err)
		}
		res = enqueued
		return nil
	})
	if errors.Is(err, errRefused) {
		return res, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("queueing delivery %s: %w", j.delivery, err)
	}
	return res, id, nil
}

// latest is the last job inserted for a pull request.
type latest struct {
	job   int64
	head  string
	state string // its River state; "" when the job is gone (cleaned)
}

// pending tells whether the job is still to finish.
func (l latest) pending() bool {
	switch rivertype.JobState(l.state) {
	case rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled:
		return true
	}
	return false
}

// failed tells whether the job gave up or was cancelled.
func (l latest) failed() bool {
	return l.state == string(rivertype.JobStateDiscarded) || l.state == string(rivertype.JobStateCancelled)
}

func (st *store) latestJob(ctx context.Context, prKey string) (latest, error) {
	var l latest
	var state sql.NullString
	err := st.db.QueryRowContext(ctx, st.rebind(`SELECT p.latest_job, p.latest_head, CAST(j.state AS TEXT)
		FROM auditbot_pull_request p LEFT JOIN river_job j ON j.id = p.latest_job WHERE p.pr_key = ?`), prKey).
		Scan(&l.job, &l.head, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return latest{}, nil
	}
	if err != nil {
		return latest{}, fmt.Errorf("reading the pull request's latest job: %w", err)
	}
	l.state = state.String
	return l, nil
}

// lockPR takes the pull request's running slot for job id. The slot is
// free when no job holds it, or when its holder is no longer running (it
// finished, or was rescued after its process died).
func (st *store) lockPR(ctx context.Context, prKey string, id int64) (bool, error) {
	res, err := st.db.ExecContext(ctx, st.rebind(`UPDATE auditbot_pull_request SET lock_job = ?
		WHERE pr_key = ? AND (lock_job = 0 OR lock_job = ? OR NOT EXISTS (
			SELECT 1 FROM river_job WHERE river_job.id = auditbot_pull_request.lock_job AND river_job.state = 'running'))`),
		id, prKey, id)
	if err != nil {
		return false, fmt.Errorf("taking the pull request's slot: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (st *store) unlockPR(ctx context.Context, prKey string, id int64) error {
	_, err := st.db.ExecContext(ctx, st.rebind(`UPDATE auditbot_pull_request SET lock_job = 0 WHERE pr_key = ? AND lock_job = ?`), prKey, id)
	if err != nil {
		return fmt.Errorf("freeing the pull request's slot: %w", err)
	}
	return nil
}

// forgetDelivery drops a delivery id, so that GitHub's redelivery of it is
// taken (after its job gave up).
func (st *store) forgetDelivery(ctx context.Context, id string) error {
	_, err := st.db.ExecContext(ctx, st.rebind(`DELETE FROM auditbot_delivery WHERE id = ?`), id)
	return err
}

// seenDelivery tells whether a delivery id was taken.
func (st *store) seenDelivery(ctx context.Context, id string) (bool, error) {
	var n int64
	err := st.db.QueryRowContext(ctx, st.rebind(`SELECT count(*) FROM auditbot_delivery WHERE id = ?`), id).Scan(&n)
	return n > 0, err
}

// pruneDeliveries forgets delivery ids older than deliveryRetention.
func (st *store) pruneDeliveries(ctx context.Context, now time.Time) (int64, error) {
	res, err := st.db.ExecContext(ctx, st.rebind(`DELETE FROM auditbot_delivery WHERE received_at < ?`), now.Add(-deliveryRetention).Unix())
	if err != nil {
		return 0, fmt.Errorf("pruning delivery ids: %w", err)
	}
	return res.RowsAffected()
}

// counts are the audit jobs by River state.
func (st *store) counts(ctx context.Context) (map[string]int64, error) {
	rows, err := st.db.QueryContext(ctx, st.rebind(`SELECT CAST(state AS TEXT), count(*) FROM river_job WHERE queue = ? GROUP BY state`), queueAudit)
	if err != nil {
		return nil, fmt.Errorf("counting jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}

// unfinished counts the audit jobs still to finish.
func (st *store) unfinished(ctx context.Context) (int64, error) {
	var n int64
	err := st.db.QueryRowContext(ctx, st.rebind(`SELECT count(*) FROM river_job WHERE queue = ? AND state IN `+pendingStates), queueAudit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting jobs: %w", err)
	}
	return n, nil
}

func (st *store) ping(ctx context.Context) error { return st.db.PingContext(ctx) }

// lastReconcile is when the last reconcile of deliveries finished.
func (st *store) lastReconcile(ctx context.Context) (time.Time, bool, error) {
	var v int64
	err := st.db.QueryRowContext(ctx, st.rebind(`SELECT value FROM auditbot_state WHERE name = 'last_reconcile'`)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("reading the last reconcile: %w", err)
	}
	return time.Unix(v, 0), true, nil
}

func (st *store) setLastReconcile(ctx context.Context, t time.Time) error {
	_, err := st.db.ExecContext(ctx, st.rebind(`INSERT INTO auditbot_state (name, value) VALUES ('last_reconcile', ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`), t.Unix())
	if err != nil {
		return fmt.Errorf("recording the reconcile: %w", err)
	}
	return nil
}

// retryPolicy is exponential backoff with jitter: base, 2×base, 4×base, …
// up to max.
type retryPolicy struct{ base, max time.Duration }

// NextRetry implements river.ClientRetryPolicy.
func (p retryPolicy) NextRetry(row *rivertype.JobRow) time.Time {
	d := p.base
	for i := 1; i < row.Attempt && d < p.max; i++ {
		d *= 2
	}
	d = min(d, p.max)
	// ±20% jitter so that jobs failing together do not retry together.
	d += time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	return time.Now().Add(d)
}

func snoozeJitter() time.Duration {
	return prLockWait + time.Duration(rand.Int64N(int64(prLockWait)))
}

// startQueue opens the queue's database and starts River's client: the
// audit workers and, in App mode, the periodic reconcile of deliveries.
func (s *Server) startQueue() error {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &auditWorker{s: s}); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &reconcileWorker{s: s}); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	rc := &river.Config{
		Queues: map[string]river.QueueConfig{
			queueAudit:       {MaxWorkers: s.cfg.Workers},
			queueMaintenance: {MaxWorkers: 1},
		},
		Workers:     workers,
		JobTimeout:  s.cfg.JobTimeout,
		MaxAttempts: s.cfg.JobRetry.MaxAttempts,
		RetryPolicy: retryPolicy{base: s.cfg.JobRetry.BaseDelay, max: s.cfg.JobRetry.MaxDelay},
		// A job still running this long after it started was cut off (its
		// process died): it is retried (Config.RescueAfter).
		RescueStuckJobsAfter: s.cfg.RescueAfter,
		Logger:               s.log.With("component", "river"),
		// Cut-off jobs are snoozed back to the queue: keep no finished job
		// longer than River does by default.
		CompletedJobRetentionPeriod: 24 * time.Hour,
	}
	if s.reconciles() {
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(s.cfg.ReconcileInterval),
			func() (river.JobArgs, *river.InsertOpts) { return reconcileArgs{}, nil },
			&river.PeriodicJobOpts{ID: "reconcile", RunOnStart: true})}
	}
	ctx, cancel := context.WithTimeout(s.baseCtx, time.Minute)
	defer cancel()
	st, err := openStore(ctx, s.cfg, rc, s.log)
	if err != nil {
		return err
	}
	s.store = st
	s.metrics.queue.store = st
	if err := st.client.Start(s.baseCtx); err != nil {
		st.close()
		return fmt.Errorf("starting the job queue: %w", err)
	}
	s.started.Store(true)
	return nil
}

// enqueue records a delivery's job in the queue; it is refused when its
// delivery was taken before, when QueueSize jobs are unfinished, or when
// the server is stopping.
func (s *Server) enqueue(ctx context.Context, j *job) (enqueueResult, error) {
	if s.closing.Load() {
		return stopping, nil
	}
	res, _, err := s.store.enqueue(ctx, j, s.cfg.QueueSize)
	return res, err
}
