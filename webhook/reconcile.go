package webhook

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Reconcile bounds.
const (
	// deliveriesKept is how far back GitHub lists an App's deliveries.
	deliveriesKept = 72 * time.Hour
	// reconcileOverlap is looked at again before the last reconcile, for
	// deliveries GitHub recorded late.
	reconcileOverlap = 5 * time.Minute
	// maxDeliveryPages bounds one reconcile's listing (100 per page).
	maxDeliveryPages = 50
	// maxRedeliveries bounds one reconcile's redeliveries; the rest wait
	// for the next run.
	maxRedeliveries = 200
)

// reconcileArgs is the periodic job that redelivers missed deliveries and
// prunes old delivery ids. At most one is queued or running at a time,
// whatever the number of replicas (River's leader inserts it, unique by
// kind).
type reconcileArgs struct{}

// Kind implements river.JobArgs.
func (reconcileArgs) Kind() string { return kindReconcile }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (reconcileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueMaintenance, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled},
	}}
}

type reconcileWorker struct {
	river.WorkerDefaults[reconcileArgs]
	s *Server
}

// Work implements river.Worker.
func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[reconcileArgs]) error {
	s := w.s
	if n, err := s.store.pruneDeliveries(ctx, time.Now()); err != nil {
		s.log.Warn("pruning delivery ids", "err", err.Error())
	} else if n > 0 {
		s.log.Info("old delivery ids forgotten", "deliveries", n)
	}
	app, ok := s.appClient()
	if !ok {
		return nil
	}
	res, err := s.reconcile(ctx, app, time.Now())
	if err != nil {
		s.metrics.reconciles.WithLabelValues("error").Inc()
		s.log.Error("reconciling missed deliveries", "err", err.Error())
		return err
	}
	s.metrics.reconciles.WithLabelValues("ok").Inc()
	s.log.Info("reconciled deliveries", "listed", res.listed, "failed", res.failed, "redelivered", res.redelivered,
		"already_processed", res.processed)
	return nil
}

// reconciles tells whether the periodic reconcile job runs: always (it
// prunes delivery ids), unless the interval is negative.
func (s *Server) reconciles() bool { return s.cfg.ReconcileInterval > 0 }

// appClient is the client authenticated as the App (App mode only).
func (s *Server) appClient() (*github.Client, bool) {
	a, ok := s.deps.Clients.(interface {
		App() (*github.Client, error)
	})
	if !ok {
		return nil, false
	}
	c, err := a.App()
	if err != nil {
		s.log.Error("App client", "err", err.Error())
		return nil, false
	}
	return c, true
}

type reconcileResult struct{ listed, failed, processed, redelivered int }

// reconcile lists the App's deliveries since the last reconcile (newest
// first, by cursor) and asks GitHub to redeliver each failed one whose
// delivery id never succeeded and that this server never took, as GitHub
// documents for failed deliveries ("Automatically redelivering failed
// deliveries for a GitHub App webhook"): a delivery id with one delivery
// whose status is "OK" needs nothing.
func (s *Server) reconcile(ctx context.Context, app *github.Client, now time.Time) (reconcileResult, error) {
	var res reconcileResult
	since := now.Add(-deliveriesKept)
	if last, ok, err := s.store.lastReconcile(ctx); err != nil {
		return res, err
	} else if ok && last.Add(-reconcileOverlap).After(since) {
		since = last.Add(-reconcileOverlap)
	}
	type guidState struct {
		ok       bool
		failedID int64 // the newest failed delivery of the id
		event    string
	}
	byGUID := map[string]*guidState{}
	var order []string
	opts := &github.ListCursorOptions{PerPage: 100}
	for page := 0; page < maxDeliveryPages; page++ {
		ds, resp, err := app.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			return res, fmt.Errorf("listing the App's deliveries: %w", err)
		}
		older := false
		for _, d := range ds {
			if d.GetDeliveredAt().Time.Before(since) {
				older = true
				continue
			}
			res.listed++
			g, ok := byGUID[d.GetGUID()]
			if !ok {
				g = &guidState{event: d.GetEvent()}
				byGUID[d.GetGUID()] = g
				order = append(order, d.GetGUID())
			}
			if d.GetStatus() == "OK" {
				g.ok = true
			} else if d.GetID() > g.failedID {
				g.failedID = d.GetID()
			}
		}
		if older || resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	// Oldest first.
	slices.Reverse(order)
	for _, guid := range order {
		g := byGUID[guid]
		if g.ok || g.failedID == 0 || !knownEvent(g.event) || g.event == "ping" {
			continue
		}
		res.failed++
		seen, err := s.store.seenDelivery(ctx, guid)
		if err != nil {
			return res, err
		}
		if seen {
			// Taken and queued; only GitHub's record of the answer failed.
			res.processed++
			continue
		}
		if res.redelivered >= maxRedeliveries {
			continue
		}
		_, _, err = app.Apps.RedeliverHookDelivery(ctx, g.failedID)
		var accepted *github.AcceptedError
		if err != nil && !errors.As(err, &accepted) {
			s.metrics.redelivered.WithLabelValues("error").Inc()
			s.log.Warn("asking GitHub to redeliver", "delivery", guid, "delivery_attempt", g.failedID, "err", err.Error())
			continue
		}
		s.metrics.redelivered.WithLabelValues("requested").Inc()
		s.log.Info("asked GitHub to redeliver a failed delivery", "delivery", guid, "event", g.event)
		res.redelivered++
	}
	if err := s.store.setLastReconcile(ctx, now); err != nil {
		return res, err
	}
	return res, nil
}
