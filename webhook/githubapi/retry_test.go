package githubapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers the statuses in order (then 200), with headers.
type scripted struct {
	calls  atomic.Int64
	steps  []step
	bodies []string
}

type step struct {
	status int
	header map[string]string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.calls.Add(1)) - 1
	b, _ := io.ReadAll(r.Body)
	s.bodies = append(s.bodies, string(b))
	if n < len(s.steps) {
		for k, v := range s.steps[n].header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(s.steps[n].status)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func TestRetryTransport(t *testing.T) {
	fast := RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxTotalWait: 3 * time.Second}
	past := strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)
	cases := []struct {
		name       string
		method     string
		unsafe     bool
		steps      []step
		policy     RetryPolicy
		wantCalls  int64
		wantStatus int
	}{
		{"GET 502 twice then ok", "GET", false, []step{{502, nil}, {502, nil}}, fast, 3, 200},
		{"GET 5xx past the attempt cap", "GET", false, []step{{500, nil}, {502, nil}, {503, nil}, {504, nil}, {502, nil}}, fast, 4, 504},
		{"POST 502 not retried", "POST", false, []step{{502, nil}}, fast, 1, 502},
		{"PATCH marked unsafe not retried on 502", "PATCH", true, []step{{502, nil}}, fast, 1, 502},
		{"PATCH retried on 502", "PATCH", false, []step{{502, nil}}, fast, 2, 200},
		{"POST 429 Retry-After retried", "POST", false, []step{{429, map[string]string{"Retry-After": "0"}}}, fast, 2, 200},
		{"403 secondary limit with Retry-After", "GET", false, []step{{403, map[string]string{"Retry-After": "1"}}}, fast, 2, 200},
		{"403 primary limit remaining 0, reset passed", "POST", true, []step{{403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": past}}}, fast, 2, 200},
		{"403 forbidden is final", "GET", false, []step{{403, nil}}, fast, 1, 403},
		{"404 is final", "GET", false, []step{{404, nil}}, fast, 1, 404},
		{"Retry-After past the total wait cap", "GET", false, []step{{429, map[string]string{"Retry-After": "120"}}}, fast, 1, 429},
		{"secondary limit without headers waits a minute: over the cap", "GET", false, []step{{429, nil}}, fast, 1, 429},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := &scripted{steps: c.steps}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			client := &http.Client{Transport: &RetryTransport{Policy: c.policy}}
			ctx := context.Background()
			if c.unsafe {
				ctx = WithoutRetryOnFailure(ctx)
			}
			req, _ := http.NewRequestWithContext(ctx, c.method, ts.URL, strings.NewReader(`{"body":"x"}`))
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.wantStatus || srv.calls.Load() != c.wantCalls {
				t.Errorf("status %d after %d calls, want %d after %d", resp.StatusCode, srv.calls.Load(), c.wantStatus, c.wantCalls)
			}
			for i, b := range srv.bodies {
				if b != `{"body":"x"}` {
					t.Errorf("attempt %d sent body %q", i+1, b)
				}
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := &scripted{steps: []step{{503, map[string]string{"Retry-After": "1"}}}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{Transport: &RetryTransport{Policy: RetryPolicy{BaseDelay: time.Millisecond}}}
	start := time.Now()
	resp, err := client.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Behaviour, not speed: the retry must not come before GitHub asked.
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("retried after %v, before the 1s Retry-After", waited)
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	srv := &scripted{steps: []step{{429, map[string]string{"Retry-After": "30"}}}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{Transport: &RetryTransport{}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL, nil)
	if _, err := client.Do(req); err == nil {
		t.Fatal("want the context's error")
	}
	if srv.calls.Load() != 1 {
		t.Errorf("%d calls, want 1", srv.calls.Load())
	}
}
