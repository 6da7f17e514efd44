package webhook

import (
	"context"
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
	"unicode/utf8"

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

// readyDBTimeout bounds the database ping of /readyz.
const readyDBTimeout = 2 * time.Second

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var problems []string
	if s.closing.Load() {
		problems = append(problems, "shutting down")
	}
	if !s.started.Load() {
		problems = append(problems, "job queue not started")
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), readyDBTimeout)
		err := s.store.ping(ctx)
		cancel()
		if err != nil {
			problems = append(problems, "database unreachable")
		}
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

// parseSignature reads X-Hub-Signature-256: "sha256=" and the lowercase
// hex HMAC-SHA256 of the raw body keyed by the secret.
func parseSignature(header string) (sig [sha256.Size]byte, ok bool) {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return sig, false
	}
	if _, err := hex.Decode(sig[:], []byte(hexSig)); err != nil {
		return sig, false
	}
	return sig, true
}

// verifySignature checks X-Hub-Signature-256 against body in constant
// time. mac is hmac.New(sha256.New, secret), in any state: it is reset
// first.
func verifySignature(mac hash.Hash, header string, body []byte) bool {
	sig, ok := parseSignature(header)
	if !ok {
		return false
	}
	mac.Reset()
	mac.Write(body)
	var want [sha256.Size]byte
	return hmac.Equal(sig[:], mac.Sum(want[:0]))
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

// maxLoggedHeader bounds a header value written to the log: a 900 KB
// X-GitHub-Event was once written as one log line.
const maxLoggedHeader = 100

// logValue is a header value as the log may show it: at most
// maxLoggedHeader bytes, cut on a rune boundary, valid UTF-8.
func logValue(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	if len(v) <= maxLoggedHeader {
		return v
	}
	n := maxLoggedHeader
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return v[:n] + "…(" + strconv.Itoa(len(v)) + " bytes)"
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
	// Nothing the sender wrote is logged before the signature is checked;
	// after it, header values are logged cut to maxLoggedHeader.
	var d delivery
	defer func() {
		event := d.event
		if !knownEvent(event) {
			event = "other" // bounded label values
		}
		s.metrics.deliveries.WithLabelValues(event, d.outcome).Inc()
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "delivery", slog.String("delivery", logValue(d.id)),
			slog.String("event", logValue(d.event)), slog.String("action", logValue(d.action)), slog.String("repository", logValue(d.repo)),
			slog.Int("pr", d.pr), slog.String("head", logValue(d.head)), slog.String("outcome", d.outcome),
			slog.Int("status", d.status), slog.Duration("duration", time.Since(start)))
	}()
	reply := func(status int, outcome, msg string) {
		d.status, d.outcome = status, outcome
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, msg+"\n") //nolint:errcheck
	}

	body, status, outcome, msg := s.readSigned(w, r)
	if body == nil {
		if status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		}
		reply(status, outcome, msg)
		return
	}
	defer s.releaseBody(body)
	d.id, d.event = r.Header.Get(headerDelivery), r.Header.Get(headerEvent)
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
	fields, err := decodeEvent(p, d.event, *body)
	if len(*body) <= maxPooledBody {
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
	res, err := s.enqueue(r.Context(), j)
	if err != nil {
		// Nothing was recorded: GitHub's redelivery will be taken.
		s.log.Error("queueing a delivery", "delivery", d.id, "err", err.Error())
		reply(http.StatusServiceUnavailable, "queue_error", "queue unavailable, redeliver later")
		return
	}
	switch res {
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

// retryAfterSeconds is the Retry-After of a 503 for too many bodies
// being read at once.
const retryAfterSeconds = 10

// readSigned reads a delivery's body and checks its signature while it
// streams in. Before a byte is read, a body larger than the limit by its
// Content-Length (413) and a missing or malformed signature (401) are
// refused, and the body's size (its Content-Length, or the limit when it
// has none) is taken from the server's budget of bytes being read
// (Config.MaxBodyBytesInFlight): beyond it the delivery gets a 503 with
// Retry-After, so unsigned bodies cannot make the server hold more than
// the budget. On success the body is returned in a lent buffer
// (releaseBody gives it back); otherwise body is nil and status, outcome
// and msg say why.
func (s *Server) readSigned(w http.ResponseWriter, r *http.Request) (body *[]byte, status int, outcome, msg string) {
	limit := s.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return nil, http.StatusRequestEntityTooLarge, "too_large", "payload too large"
	}
	sig, ok := parseSignature(r.Header.Get(headerSignature))
	if !ok {
		return nil, http.StatusUnauthorized, "bad_signature", "bad or missing X-Hub-Signature-256"
	}
	weight := limit
	if r.ContentLength >= 0 {
		weight = r.ContentLength
	}
	if !s.bodyBudget.TryAcquire(weight) {
		return nil, http.StatusServiceUnavailable, "busy", "too many deliveries being read, redeliver later"
	}
	defer s.bodyBudget.Release(weight)

	mac := s.macs.pool.Get().(hash.Hash)
	defer s.macs.pool.Put(mac)
	mac.Reset()
	buf := s.bodies.Get().(*[]byte)
	b, err := readBody(io.TeeReader(http.MaxBytesReader(w, r.Body, limit), mac), r.ContentLength, buf)
	var want [sha256.Size]byte
	if err == nil && !hmac.Equal(sig[:], mac.Sum(want[:0])) {
		err = errBadSignature
	}
	if err != nil {
		s.releaseBody(buf)
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return nil, http.StatusRequestEntityTooLarge, "too_large", "payload too large"
		case errors.Is(err, errBadSignature):
			return nil, http.StatusUnauthorized, "bad_signature", "bad or missing X-Hub-Signature-256"
		}
		return nil, http.StatusBadRequest, "unreadable", "cannot read body"
	}
	*buf = b
	return buf, 0, "", ""
}

var errBadSignature = errors.New("signature does not match the body")

// releaseBody gives a body's buffer back to the pool, unless it grew
// over maxPooledBody: a large buffer goes to the garbage collector, so
// one large delivery does not keep its memory for good.
func (s *Server) releaseBody(buf *[]byte) {
	if cap(*buf) > maxPooledBody {
		return
	}
	*buf = (*buf)[:0]
	s.bodies.Put(buf)
}

// readBody reads body into *buf (grown when too small) and returns it.
// A known Content-Length (n >= 0) sizes the buffer at once and must be
// the body's exact length; the caller bounds the reader.
func readBody(body io.Reader, n int64, buf *[]byte) ([]byte, error) {
	if n < 0 {
		b := (*buf)[:0]
		for {
			if len(b) == cap(b) {
				b = append(b, 0)[:len(b)]
			}
			k, err := body.Read(b[len(b):cap(b)])
			b = b[:len(b)+k]
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
	if int64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	if _, err := io.ReadFull(body, b); err != nil {
		return nil, err
	}
	// net/http stops a body at its Content-Length: nothing may follow.
	var one [1]byte
	if k, err := body.Read(one[:]); k > 0 || (err != nil && err != io.EOF) {
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
