package githubapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy bounds the retries of a RetryTransport.
type RetryPolicy struct {
	// MaxAttempts is the most times one request is sent (first try
	// included). Default 4.
	MaxAttempts int
	// BaseDelay is the first backoff after a 5xx or network error; it
	// doubles with every attempt, with jitter. Default 500ms.
	BaseDelay time.Duration
	// MaxDelay caps one backoff. Default 10s.
	MaxDelay time.Duration
	// MaxTotalWait caps the sum of the waits for one request, including the
	// waits asked for by Retry-After or a rate limit reset. A wait that
	// would pass it is not made: the last response is returned instead.
	// Default 60s.
	MaxTotalWait time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 10 * time.Second
	}
	if p.MaxTotalWait <= 0 {
		p.MaxTotalWait = 60 * time.Second
	}
	return p
}

// secondaryRateLimitWait is the wait GitHub asks for when a secondary rate
// limit answer carries no header: "Otherwise, wait for at least one minute
// before retrying."
const secondaryRateLimitWait = time.Minute

type unsafeKey struct{}

// WithoutRetryOnFailure marks the requests made with ctx as not idempotent
// even when their method is (for example a PATCH that appends check run
// annotations): they are then retried only when GitHub certainly did not
// process them (a rate limit answer), never after a 5xx or a network error.
func WithoutRetryOnFailure(ctx context.Context) context.Context {
	return context.WithValue(ctx, unsafeKey{}, true)
}

// RetryTransport retries GitHub REST requests: 5xx answers and network
// errors with exponential backoff (idempotent requests only: GET, HEAD,
// PUT, DELETE, OPTIONS and PATCH unless marked by WithoutRetryOnFailure;
// a POST may have been processed before the error, so the caller decides),
// and rate limit answers (429, or 403 with Retry-After or
// x-ratelimit-remaining: 0) for every method, waiting as GitHub asks:
// "If the retry-after response header is present, you should not retry
// your request until after that many seconds has elapsed. If the
// x-ratelimit-remaining header is 0, you should not retry your request
// until after the time, in UTC epoch seconds, specified by the
// x-ratelimit-reset header."
type RetryTransport struct {
	// Base sends the requests; http.DefaultTransport when nil.
	Base   http.RoundTripper
	Policy RetryPolicy
	// OnRetry, when set, is told of every retry (for metrics and logs).
	OnRetry func(req *http.Request, attempt int, status int, wait time.Duration)
}

// RoundTrip implements http.RoundTripper.
func (t *RetryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	p := t.Policy.withDefaults()
	idempotent := isIdempotent(req)
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			var err error
			if r, err = rewind(req); err != nil {
				return nil, err
			}
		}
		resp, err := base.RoundTrip(r)
		if attempt >= p.MaxAttempts {
			return resp, err
		}
		var wait time.Duration
		status := 0
		switch {
		case err != nil:
			if !idempotent || req.Context().Err() != nil {
				return nil, err
			}
			wait = backoff(p, attempt)
		case isRateLimited(resp):
			status = resp.StatusCode
			wait = rateLimitWait(resp, time.Now())
		case resp.StatusCode >= 500 && idempotent:
			status = resp.StatusCode
			wait = backoff(p, attempt)
			if ra, ok := retryAfter(resp); ok && ra > wait {
				wait = ra
			}
		default:
			return resp, nil
		}
		if waited+wait > p.MaxTotalWait {
			return resp, err
		}
		if resp != nil {
			// Drain a little so the connection can be reused.
			_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
			resp.Body.Close()
		}
		if t.OnRetry != nil {
			t.OnRetry(req, attempt, status, wait)
		}
		if err := sleep(req.Context(), wait); err != nil {
			return nil, fmt.Errorf("waiting to retry %s %s: %w", req.Method, req.URL.Path, err)
		}
		waited += wait
	}
}

func isIdempotent(req *http.Request) bool {
	if v, _ := req.Context().Value(unsafeKey{}).(bool); v {
		return false
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodPatch:
		return true
	}
	return false
}

func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return nil, errors.New("retrying request: body cannot be replayed")
		}
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("retrying request: %w", err)
		}
		r.Body = body
	}
	return r, nil
}

// isRateLimited tells a primary or secondary rate limit answer: GitHub
// "will return a 403 or 429 response" and the headers say how long to wait.
func isRateLimited(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
		if _, ok := retryAfter(resp); ok {
			return true
		}
		return resp.Header.Get("X-Ratelimit-Remaining") == "0"
	}
	return false
}

func rateLimitWait(resp *http.Response, now time.Time) time.Duration {
	if d, ok := retryAfter(resp); ok {
		return d
	}
	if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			d := time.Unix(reset, 0).Sub(now)
			if d < 0 {
				d = 0
			}
			return d + time.Second // the reset second itself
		}
	}
	return secondaryRateLimitWait
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func backoff(p RetryPolicy, attempt int) time.Duration {
	d := p.BaseDelay << (attempt - 1)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	// Full jitter on the upper half: [d/2, d).
	half := d / 2
	return half + rand.N(half+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
