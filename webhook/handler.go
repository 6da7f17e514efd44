package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/auditbot/auditbot/webhook/githubapi"
)

// Header names of a webhook delivery.
const (
	headerEvent     = "X-GitHub-Event"
	headerDelivery  = "X-GitHub-Delivery"
	headerSignature = "X-Hub-Signature-256"
)

// commandPrefix, at the start of a pull request comment, asks for a re-run.
const commandPrefix = "/auditbot"

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", s.serveWebhook)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n") //nolint:errcheck
	})
	mux.HandleFunc("GET /readyz", s.serveReady)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{Registry: s.metrics.reg}))
	return mux
}

func (s *Server) serveReady(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var problems []string
	if s.closing.Load() {
		problems = append(problems, "shutting down")
	}
	if n := s.workers.Load(); n < int64(s.cfg.Workers) {
		problems = append(problems, "workers not all running")
	}
	// Check signs a JWT locally (App mode): no GitHub call per probe.
	if err := s.deps.Clients.Check(); err != nil {
		problems = append(problems, "GitHub credentials unusable")
	}
	if len(problems) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, strings.Join(problems, "; ")+"\n") //nolint:errcheck
		return
	}
	io.WriteString(w, "ready\n") //nolint:errcheck
}

// verifySignature checks X-Hub-Signature-256 ("sha256=" and the lowercase
// hex HMAC-SHA256 of the raw body keyed by the secret) in constant time.
// mac is hmac.New(sha256.New, secret), in any state: it is reset first.
func verifySignature(mac hash.Hash, header string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return false
	}
	var got, want [sha256.Size]byte
	if _, err := hex.Decode(got[:], []byte(hexSig)); err != nil {
		return false
	}
	mac.Reset()
	mac.Write(body)
	return hmac.Equal(got[:], mac.Sum(want[:0]))
}

// macPool lends keyed HMAC-SHA256 states: the key schedule is done once
// per state, not once per delivery.
type macPool struct {
	pool sync.Pool
}

func newMACPool(secret string) *macPool {
	key := []byte(secret)
	p := &macPool{}
	p.pool.New = func() any { return hmac.New(sha256.New, key) }
	return p
}

func (p *macPool) verify(header string, body []byte) bool {
	mac := p.pool.Get().(hash.Hash)
	defer p.pool.Put(mac)
	return verifySignature(mac, header, body)
}

// delivery is what the log line of one delivery says.
type delivery struct {
	id, event, action, repo, head string
	pr                            int
	outcome                       string
	status                        int
}

func (s *Server) serveWebhook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	d := delivery{id: r.Header.Get(headerDelivery), event: r.Header.Get(headerEvent)}
	defer func() {
		event := d.event
		if !knownEvent(event) {
			event = "other" // bounded label values
		}
		s.metrics.deliveries.WithLabelValues(event, d.outcome).Inc()
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "delivery", slog.String("delivery", d.id),
			slog.String("event", d.event), slog.String("action", d.action), slog.String("repository", d.repo),
			slog.Int("pr", d.pr), slog.String("head", d.head), slog.String("outcome", d.outcome),
			slog.Int("status", d.status), slog.Duration("duration", time.Since(start)))
	}()
	reply := func(status int, outcome, msg string) {
		d.status, d.outcome = status, outcome
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, msg+"\n") //nolint:errcheck
	}

	// The body is read into a lent buffer: nothing of it is kept past the
	// handler (the job holds copies of the few fields it needs).
	buf := s.bodies.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= maxPooledBody {
			s.bodies.Put(buf)
		}
	}()
	body, err := readBody(w, r, s.cfg.MaxBodyBytes, buf)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			reply(http.StatusRequestEntityTooLarge, "too_large", "payload too large")
			return
		}
		reply(http.StatusBadRequest, "unreadable", "cannot read body")
		return
	}
	// Nothing of the body is looked at before its signature is checked.
	if !s.macs.verify(r.Header.Get(headerSignature), body) {
		reply(http.StatusUnauthorized, "bad_signature", "bad or missing X-Hub-Signature-256")
		return
	}
	if d.id == "" || len(d.id) > 100 {
		reply(http.StatusBadRequest, "bad_delivery_id", "missing or invalid X-GitHub-Delivery")
		return
	}
	if d.event == "ping" {
		reply(http.StatusOK, "pong", "pong")
		return
	}
	if d.event != "pull_request" && d.event != "issue_comment" {
		reply(http.StatusAccepted, "ignored", "event ignored")
		return
	}
	p := s.parsers.Get()
	fields, err := decodeEvent(p, d.event, body)
	if len(body) <= maxPooledBody {
		s.parsers.Put(p) // fields hold copies, nothing of p
	}
	if err != nil {
		reply(http.StatusBadRequest, "bad_payload", "cannot parse payload")
		return
	}
	j, why := jobFor(d.event, fields)
	if j != nil {
		d.action, d.repo, d.pr, d.head = j.action, fields.fullName, j.number, j.head
	} else if why.action != "" {
		d.action = why.action
	}
	if j == nil {
		if why.bad {
			reply(http.StatusBadRequest, "bad_payload", why.msg)
			return
		}
		reply(http.StatusAccepted, "ignored", why.msg)
		return
	}
	j.delivery, j.event, j.received = d.id, d.event, start
	switch s.enqueue(j) {
	case enqueued:
		reply(http.StatusAccepted, "queued", "queued")
	case duplicate:
		reply(http.StatusOK, "duplicate", "delivery already received")
	case full:
		reply(http.StatusServiceUnavailable, "queue_full", "queue full, redeliver later")
	case stopping:
		reply(http.StatusServiceUnavailable, "shutting_down", "shutting down, redeliver later")
	}
}

// readBody reads the body, at most limit bytes, into *buf (grown when too
// small) and returns it; the sender's Content-Length, when it gave one,
// sizes it at once.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, buf *[]byte) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	if r.ContentLength <= 0 || r.ContentLength > limit {
		b := (*buf)[:0]
		for {
			if len(b) == cap(b) {
				b = append(b, 0)[:len(b)]
			}
			n, err := body.Read(b[len(b):cap(b)])
			b = b[:len(b)+n]
			if err == io.EOF {
				*buf = b
				return b, nil
			}
			if err != nil {
				*buf = b
				return nil, err
			}
		}
	}
	n := int(r.ContentLength)
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	if _, err := io.ReadFull(body, b); err != nil {
		return nil, err
	}
	// net/http stops a body at its Content-Length: nothing may follow.
	var one [1]byte
	if n, err := body.Read(one[:]); n > 0 || (err != nil && err != io.EOF) {
		return nil, errors.New("body longer than its Content-Length")
	}
	return b, nil
}

func knownEvent(e string) bool {
	return e == "pull_request" || e == "issue_comment" || e == "ping"
}

type ignoreReason struct {
	action string
	msg    string
	bad    bool
}

// jobFor turns an event's fields into a job, or says why there is none.
func jobFor(event string, f eventFields) (*job, ignoreReason) {
	switch event {
	case "pull_request":
		switch f.action {
		case "opened", "synchronize", "reopened", "ready_for_review":
		case "edited":
			if !f.baseChanged {
				return nil, ignoreReason{action: f.action, msg: "edit without base change ignored"}
			}
		default:
			return nil, ignoreReason{action: f.action, msg: "action ignored"}
		}
		j, err := newJob(f.fullName, f.number, f.installation)
		if err != nil || !isSHA(f.head) || !isSHA(f.base) {
			return nil, ignoreReason{action: f.action, msg: "payload lacks repository, number or SHAs", bad: true}
		}
		j.action, j.head, j.base = f.action, f.head, f.base
		return j, ignoreReason{}
	case "issue_comment":
		if f.action != "created" {
			return nil, ignoreReason{action: f.action, msg: "action ignored"}
		}
		if !f.onPullRequest {
			return nil, ignoreReason{action: f.action, msg: "comment not on a pull request"}
		}
		if f.botComment || !f.command {
			return nil, ignoreReason{action: f.action, msg: "not an /auditbot command"}
		}
		j, err := newJob(f.fullName, f.number, f.installation)
		if err != nil {
			return nil, ignoreReason{action: f.action, msg: "payload lacks repository or number", bad: true}
		}
		j.action = f.action
		return j, ignoreReason{}
	}
	return nil, ignoreReason{msg: "event ignored"}
}

// isCommand tells a comment whose first word is /auditbot.
func isCommand(body string) bool {
	rest, ok := strings.CutPrefix(strings.TrimLeft(body, " \t\r\n"), commandPrefix)
	return ok && (rest == "" || strings.ContainsAny(rest[:1], " \t\r\n"))
}

func newJob(fullName string, number int, installation int64) (*job, error) {
	owner, repo, err := githubapi.SplitFullName(fullName)
	if err != nil {
		return nil, err
	}
	if number <= 0 {
		return nil, errors.New("no pull request number")
	}
	return &job{owner: owner, repo: repo, number: number, installation: installation,
		prKey: owner + "/" + repo + "#" + strconv.Itoa(number)}, nil
}

func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
