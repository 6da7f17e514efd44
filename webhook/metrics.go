package webhook

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics live in a registry of the Server's own: two servers in one
// process (tests) never share counters.
type metrics struct {
	reg         *prometheus.Registry
	deliveries  *prometheus.CounterVec
	jobs        *prometheus.CounterVec
	queue       *queueCollector
	retries     prometheus.Counter
	reconciles  *prometheus.CounterVec
	redelivered *prometheus.CounterVec
	auditDur    prometheus.Histogram
	ghCalls     *prometheus.CounterVec
	ghErrors    *prometheus.CounterVec
	comments    *prometheus.CounterVec
	annotations prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_webhook_deliveries_total",
			Help: "Webhook deliveries received, by event and outcome.",
		}, []string{"event", "outcome"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_jobs_total",
			Help: "Audit jobs finished, by outcome.",
		}, []string{"outcome"}),
		queue: &queueCollector{},
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auditbot_job_retries_total",
			Help: "Audit job attempts that failed transiently and were put back for a retry.",
		}),
		reconciles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_reconcile_runs_total",
			Help: "Reconciles of missed deliveries, by outcome (ok, error).",
		}, []string{"outcome"}),
		redelivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_reconcile_redeliveries_total",
			Help: "Failed deliveries found by the reconcile, by outcome (requested, error).",
		}, []string{"outcome"}),
		auditDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "auditbot_audit_duration_seconds",
			Help:    "Time to fetch and audit one pull request.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}),
		ghCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_github_requests_total",
			Help: "GitHub API requests sent (each retry counts), by method and status code.",
		}, []string{"method", "code"}),
		ghErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_github_errors_total",
			Help: "GitHub API requests that failed (network error, 4xx or 5xx), by method.",
		}, []string{"method"}),
		comments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "auditbot_comments_total",
			Help: "Report comments written, by action (created, updated).",
		}, []string{"action"}),
		annotations: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "auditbot_check_annotations_total",
			Help: "Check run annotations sent.",
		}),
	}
	m.reg.MustRegister(m.deliveries, m.jobs, m.queue, m.retries, m.reconciles, m.redelivered, m.auditDur, m.ghCalls, m.ghErrors, m.comments, m.annotations,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observeGitHub(method string, status int) {
	m.ghCalls.WithLabelValues(method, strconv.Itoa(status)).Inc()
	if status == 0 || status >= 400 {
		m.ghErrors.WithLabelValues(method).Inc()
	}
}

// queueCollector reads the audit jobs by state from the queue's database
// at each scrape: every replica reports the whole shared queue.
type queueCollector struct {
	store *store // set once the queue is open
}

var (
	queueJobsDesc = prometheus.NewDesc("auditbot_queue_jobs",
		"Audit jobs in the queue's database, by River state (available, running, retryable, scheduled, completed, cancelled, discarded).",
		[]string{"state"}, nil)
	queueDepthDesc = prometheus.NewDesc("auditbot_queue_depth",
		"Audit jobs not finished: queued, running, or waiting for a retry.", nil, nil)
)

// queueStates are reported even when no job is in them.
var queueStates = []string{"available", "pending", "scheduled", "running", "retryable", "completed", "cancelled", "discarded"}

// queueScrapeTimeout bounds the count at a scrape.
const queueScrapeTimeout = 2 * time.Second

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueJobsDesc
	ch <- queueDepthDesc
}

// Collect implements prometheus.Collector.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	if c.store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), queueScrapeTimeout)
	defer cancel()
	counts, err := c.store.counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDepthDesc, err)
		return
	}
	var depth int64
	for _, st := range queueStates {
		n := counts[st]
		ch <- prometheus.MustNewConstMetric(queueJobsDesc, prometheus.GaugeValue, float64(n), st)
		if (latest{state: st}).pending() {
			depth += n
		}
	}
	ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(depth))
}
