package webhook

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics live in a registry of the Server's own: two servers in one
// process (tests) never share counters.
type metrics struct {
	reg         *prometheus.Registry
	deliveries  *prometheus.CounterVec
	jobs        *prometheus.CounterVec
	queueDepth  prometheus.Gauge
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
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "auditbot_queue_depth",
			Help: "Audit jobs in hand, queued or running.",
		}),
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
	m.reg.MustRegister(m.deliveries, m.jobs, m.queueDepth, m.auditDur, m.ghCalls, m.ghErrors, m.comments, m.annotations,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observeGitHub(method string, status int) {
	m.ghCalls.WithLabelValues(method, strconv.Itoa(status)).Inc()
	if status == 0 || status >= 400 {
		m.ghErrors.WithLabelValues(method).Inc()
	}
}
