package webhook

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/auditbot/auditbot/webhook/githubapi"
)

// counterValue reads a counter.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

var loadTest = flag.Bool("load", false, "run the load test (go test ./webhook -run TestLoad -load)")

// TestLoad sends 1,000 signed deliveries over loopback, 50 at a time, for
// 20 pull requests, and checks that every one is acknowledged and
// accounted for and that each pull request has exactly one comment. It
// prints the acknowledgement latency percentiles.
func TestLoad(t *testing.T) {
	if !*loadTest {
		t.Skip("load test: run with -load")
	}
	const (
		deliveries  = 1000
		concurrency = 50
		prs         = 20
	)
	// The server logs as in production, but to nowhere.
	e := newEnv(t, envOptions{workers: 2, queue: 2 * deliveries, quiet: true})
	// Time the handler itself too: on a loaded machine the client's view
	// includes waiting for a CPU.
	var hmu sync.Mutex
	var handlerLat []time.Duration
	h := e.srv.Handler()
	timed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		d := time.Since(start)
		hmu.Lock()
		handlerLat = append(handlerLat, d)
		hmu.Unlock()
	}))
	defer timed.Close()
	tmpl := string(e.payload("pull_request.opened.json", e.commits.many))
	// Signed before the clock starts, as GitHub signs on its own machines.
	bodies, sigs := make([][]byte, prs), make([]string, prs)
	for i := range prs {
		bodies[i] = []byte(strings.ReplaceAll(tmpl, `"number": 2,`, fmt.Sprintf(`"number": %d,`, i+2)))
		sigs[i] = sign(testSecret, bodies[i])
	}
	start := time.Now()
	lat, codes, ackAll := sendDeliveries(t, timed.URL+"/webhook", bodies, sigs, deliveries, concurrency)
	e.idleWithin(3 * time.Minute)
	total := time.Since(start)

	accepted := 0
	for i, c := range codes {
		if c != http.StatusAccepted {
			t.Errorf("delivery %d: status %d", i, c)
		} else {
			accepted++
		}
	}
	m := e.srv.metrics.jobs
	finished := 0
	for _, o := range []string{outcomeDone, outcomeCoalesced, outcomeSuperseded, outcomeNoImpact, outcomeCleared, outcomeClosed, outcomeFailed} {
		finished += int(counterValue(t, m.WithLabelValues(o)))
	}
	if finished != accepted || counterValue(t, m.WithLabelValues(outcomeFailed)) != 0 {
		t.Errorf("accepted %d, finished %d (failed %v): deliveries lost", accepted, finished, counterValue(t, m.WithLabelValues(outcomeFailed)))
	}
	_, _, created, _ := e.gh.snapshot()
	if created != prs {
		t.Errorf("%d comments created for %d pull requests", created, prs)
	}
	slices.Sort(lat)
	slices.Sort(handlerLat)
	pct := func(l []time.Duration, p float64) time.Duration { return l[int(p*float64(len(l)-1))] }
	t.Logf("%d deliveries, concurrency %d, %d PRs: acked all in %v, all jobs done in %v; audits %d, comments created %d",
		deliveries, concurrency, prs, ackAll.Round(time.Millisecond), total.Round(time.Millisecond), e.auditor.calls.Load(), created)
	t.Logf("ack latency seen by the sender: p50 %v, p90 %v, p99 %v, max %v",
		pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99), lat[len(lat)-1])
	t.Logf("time in the server's handler:   p50 %v, p90 %v, p99 %v, max %v",
		pct(handlerLat, 0.50), pct(handlerLat, 0.90), pct(handlerLat, 0.99), handlerLat[len(handlerLat)-1])

	// For reference, what this machine allows at the moment: the same
	// sender against a handler that only reads the body and checks its
	// signature (no parsing, no queue, no log, no workers).
	macs := newMACPool(testSecret)
	var bufs sync.Pool
	bufs.New = func() any { return new([]byte) }
	floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := bufs.Get().(*[]byte)
		defer bufs.Put(buf)
		body, err := readBody(http.MaxBytesReader(w, r.Body, githubapi.MaxWebhookPayload), r.ContentLength, buf)
		if err != nil || !macs.verify(r.Header.Get(headerSignature), body) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer floor.Close()
	ref, _, refAll := sendDeliveries(t, floor.URL, bodies, sigs, deliveries, concurrency)
	slices.Sort(ref)
	t.Logf("reference, a handler that only checks the signature: acked all in %v; p50 %v, p90 %v, p99 %v, max %v",
		refAll.Round(time.Millisecond), pct(ref, 0.50), pct(ref, 0.90), pct(ref, 0.99), ref[len(ref)-1])
}

// sendDeliveries posts n signed pull_request deliveries to url, concurrency
// at a time over connections it keeps open, and returns each one's latency
// as the sender sees it (from just before the request to the end of the
// response) and status, and the time to send them all.
func sendDeliveries(t *testing.T, url string, bodies [][]byte, sigs []string, n, concurrency int) ([]time.Duration, []int, time.Duration) {
	transport := &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	lat := make([]time.Duration, n)
	codes := make([]int, n)
	work := make(chan int)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for i := range work {
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i%len(bodies)]))
				req.Header.Set(headerEvent, "pull_request")
				req.Header.Set(headerDelivery, "load-"+strconv.Itoa(i))
				req.Header.Set(headerSignature, sigs[i%len(sigs)])
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					continue
				}
				io.Copy(io.Discard, resp.Body) //nolint:errcheck
				resp.Body.Close()
				lat[i], codes[i] = time.Since(start), resp.StatusCode
			}
		})
	}
	start := time.Now()
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	return lat, codes, time.Since(start)
}

// BenchmarkAck measures the acknowledgement path of one delivery (read,
// verify the signature, parse, dedup, enqueue, log) in the handler, with
// the workers held so that only the acknowledgement is measured.
func BenchmarkAck(b *testing.B) {
	a := &fakeAuditor{gate: make(chan struct{}), started: make(chan string, 2)}
	e := newEnv(b, envOptions{auditor: a, queue: b.N + 10, quiet: true})
	body := e.payload("pull_request.opened.json", e.commits.many)
	sig := sign(testSecret, body)
	h := e.srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		req.Header.Set(headerEvent, "pull_request")
		req.Header.Set(headerDelivery, fmt.Sprintf("bench-%d", i))
		req.Header.Set(headerSignature, sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.StopTimer()
	close(a.gate)
}
