package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v60/github"
)

// DefaultBaseURL is GitHub's REST API base URL.
const DefaultBaseURL = "https://api.github.com/"

// Installation is what the server needs for one repository: a REST client
// and the token git uses over HTTPS (as the password of user
// "x-access-token").
type Installation struct {
	Client *github.Client
	// Token returns a token valid for at least the next minutes.
	Token func(ctx context.Context) (string, error)
}

// ClientCreator gives GitHub clients per installation (App mode) or a
// single token client (token mode, where the installation id is ignored).
type ClientCreator interface {
	Installation(ctx context.Context, installationID int64) (*Installation, error)
	// Check tells whether the credentials are usable without calling
	// GitHub (the App's JWT can be signed, the token is present).
	Check() error
}

// Options configure the clients.
type Options struct {
	// BaseURL is the REST API base URL: DefaultBaseURL, or a GitHub
	// Enterprise Server's "https://HOST/api/v3/". It is the only address
	// called for the API.
	BaseURL string
	// Transport sends the requests (below the retries); default
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds every API call, retries included. Default 60s.
	Timeout time.Duration
	Retry   RetryPolicy
	// Observe, when set, is told of every request's outcome: the HTTP
	// status (0 on a network error).
	Observe func(method string, status int)
	// OnRetry, when set, is told of every retry.
	OnRetry func(req *http.Request, attempt int, status int, wait time.Duration)
}

func (o Options) transport() http.RoundTripper {
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if o.Observe != nil {
		base = observeTransport{base: base, observe: o.Observe}
	}
	return &RetryTransport{Base: base, Policy: o.Retry, OnRetry: o.OnRetry}
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 60 * time.Second
	}
	return o.Timeout
}

type observeTransport struct {
	base    http.RoundTripper
	observe func(method string, status int)
}

func (t observeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	t.observe(req.Method, status)
	return resp, err
}

// NormalizeBaseURL checks a REST API base URL and gives it the trailing
// slash go-github needs. An empty URL is GitHub's.
func NormalizeBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("GitHub API URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q: want an http(s) URL with a host", u.Redacted())
	}
	if u.User != nil {
		return nil, fmt.Errorf("GitHub API URL %q: credentials do not belong in the URL", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("GitHub API URL %q: no query or fragment allowed", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// newGitHubClient builds a go-github client on base.
func newGitHubClient(hc *http.Client, base *url.URL) (*github.Client, error) {
	c := github.NewClient(hc)
	if base.String() == DefaultBaseURL {
		return c, nil
	}
	c, err := c.WithEnterpriseURLs(base.String(), base.String())
	if err != nil {
		return nil, fmt.Errorf("GitHub API URL: %w", err)
	}
	// WithEnterpriseURLs appends "api/v3/" to URLs that lack it, which is
	// right for an Enterprise host name but not for any other base (a
	// test server, a proxy): the configured URL is the only one called.
	c.BaseURL = base
	return c, nil
}

// TokenClients is token mode: one client for every repository.
type TokenClients struct {
	inst *Installation
}

// NewTokenClients builds token mode.
func NewTokenClients(token string, o Options) (*TokenClients, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("GitHub token is empty")
	}
	base, err := NormalizeBaseURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: o.transport(), Timeout: o.timeout()}
	c, err := newGitHubClient(hc, base)
	if err != nil {
		return nil, err
	}
	c = c.WithAuthToken(token)
	return &TokenClients{inst: &Installation{
		Client: c,
		Token:  func(context.Context) (string, error) { return token, nil },
	}}, nil
}

// Installation implements ClientCreator; the id is ignored.
func (t *TokenClients) Installation(context.Context, int64) (*Installation, error) {
	return t.inst, nil
}

// Check implements ClientCreator.
func (t *TokenClients) Check() error { return nil }

// AppClients is App mode: an installation token per installation, from the
// App's id and private key, cached and refreshed by ghinstallation.
type AppClients struct {
	apps    *ghinstallation.AppsTransport
	base    *url.URL
	timeout time.Duration
	signer  *ghinstallation.RSASigner
	appID   int64

	mu    sync.Mutex
	cache map[int64]*Installation
}

// maxCachedInstallations bounds the installation cache; past it the cache
// is emptied (tokens are then fetched again).
const maxCachedInstallations = 1024

// NewAppClients builds App mode from the App's id and PEM private key.
func NewAppClients(appID int64, privateKey []byte, o Options) (*AppClients, error) {
	if appID <= 0 {
		return nil, errors.New("GitHub App id must be positive")
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(privateKey)
	if err != nil {
		// The parser's error never quotes the key.
		return nil, fmt.Errorf("GitHub App private key: %w", err)
	}
	base, err := NormalizeBaseURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	apps := ghinstallation.NewAppsTransportFromPrivateKey(o.transport(), appID, key)
	// ghinstallation joins paths to BaseURL itself ("%s/app/installations/...").
	apps.BaseURL = strings.TrimSuffix(base.String(), "/")
	a := &AppClients{
		apps:    apps,
		base:    base,
		timeout: o.timeout(),
		signer:  ghinstallation.NewRSASigner(jwt.SigningMethodRS256, key),
		appID:   appID,
		cache:   make(map[int64]*Installation),
	}
	if err := a.Check(); err != nil {
		return nil, err
	}
	return a, nil
}

// Installation implements ClientCreator.
func (a *AppClients) Installation(_ context.Context, id int64) (*Installation, error) {
	if id <= 0 {
		return nil, errors.New("delivery has no installation id (is the webhook an App webhook?)")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if inst, ok := a.cache[id]; ok {
		return inst, nil
	}
	itr := ghinstallation.NewFromAppsTransport(a.apps, id)
	itr.BaseURL = a.apps.BaseURL
	c, err := newGitHubClient(&http.Client{Transport: itr, Timeout: a.timeout}, a.base)
	if err != nil {
		return nil, err
	}
	inst := &Installation{Client: c, Token: itr.Token}
	if len(a.cache) >= maxCachedInstallations {
		clear(a.cache)
	}
	a.cache[id] = inst
	return inst, nil
}

// Check implements ClientCreator: it signs a JWT with the App's key.
func (a *AppClients) Check() error {
	now := time.Now()
	_, err := a.signer.Sign(&jwt.RegisteredClaims{
		IssuedAt:  jwt.NewNumericDate(now.Add(-30 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)),
		Issuer:    fmt.Sprint(a.appID),
	})
	if err != nil {
		return fmt.Errorf("signing the GitHub App JWT: %w", err)
	}
	return nil
}

var repoPart = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// SplitFullName splits and checks "owner/repo". Both parts are used in API
// paths and clone URLs, so anything but GitHub's name characters is
// refused.
func SplitFullName(fullName string) (owner, repo string, err error) {
	owner, repo, ok := strings.Cut(fullName, "/")
	if !ok || !repoPart.MatchString(owner) || !repoPart.MatchString(repo) ||
		owner == "." || owner == ".." || repo == "." || repo == ".." {
		return "", "", fmt.Errorf("repository name %q is not owner/name", fullName)
	}
	return owner, repo, nil
}

// CloneURLFunc derives a repository's git URL from its "owner/repo".
type CloneURLFunc func(owner, repo string) (string, error)

// CloneURLs derives clone URLs from the REST API base URL, never from a
// payload: https://github.com/OWNER/REPO.git for api.github.com, and
// SCHEME://HOST/OWNER/REPO.git for GitHub Enterprise Server.
func CloneURLs(apiBaseURL string) (CloneURLFunc, error) {
	base, err := NormalizeBaseURL(apiBaseURL)
	if err != nil {
		return nil, err
	}
	host := base.Host
	if strings.EqualFold(host, "api.github.com") {
		host = "github.com"
	}
	scheme := base.Scheme
	return func(owner, repo string) (string, error) {
		if _, _, err := SplitFullName(owner + "/" + repo); err != nil {
			return "", err
		}
		u := url.URL{Scheme: scheme, Host: host, Path: "/" + owner + "/" + repo + ".git"}
		return u.String(), nil
	}, nil
}

// App returns a client authenticated as the App itself (a JWT signed with
// its key), for the App's own endpoints such as its webhook deliveries.
func (a *AppClients) App() (*github.Client, error) {
	return newGitHubClient(&http.Client{Transport: a.apps, Timeout: a.timeout}, a.base)
}
