package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// TestGitErrorWithTokenIsRedacted drives real failed fetches: the engine,
// its repository cache and go-git fetch a clone URL carrying secrets from
// a local remote that answers every request 502, and the job is retried
// until it gives up. With a password in the user info only, go-git's
// error quotes the URL it requested (`unexpected requesting "http://…"
// status code: 502`); with ?token= in the query as well
// (http://x-access-token:SECRET@host/repo.git?token=SECRET), the query
// reaches the remote and go-git fails on the redirect check. Either way
// none of the server's logs, the job queue's stored errors or the check
// run carries a secret, while the logs and the queue still say which
// fetch failed.
func TestGitErrorWithTokenIsRedacted(t *testing.T) {
	t.Parallel()
	const userSecret, querySecret = "UserInfoSecret1234567890", "QuerySecret0987654321"
	for name, c := range map[string]struct{ query, want string }{
		"userinfo": {"", "status code: 502"},
		"query":    {"?token=" + querySecret, "/info/refs"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var requested []string
			remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				user, pass, _ := r.BasicAuth()
				mu.Lock()
				requested = append(requested, user+":"+pass+" "+r.URL.String())
				mu.Unlock()
				http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
			}))
			t.Cleanup(remote.Close)
			host := strings.TrimPrefix(remote.URL, "http://")
			e := newEnv(t, envOptions{engine: true, cacheDir: t.TempDir(), cloneURL: func(gitURL string) string {
				u, err := url.Parse(gitURL)
				if err != nil {
					t.Fatal(err)
				}
				return "http://x-access-token:" + userSecret + "@" + host + u.Path + c.query
			}})
			e.deliver("pull_request", "d-1", e.payload("pull_request.opened.json", e.commits.many))
			e.idle()

			mu.Lock()
			sent := strings.Join(requested, "\n")
			mu.Unlock()
			if c.query != "" && !strings.Contains(sent, querySecret) {
				t.Fatalf("the remote was not asked for the URL with its token (the test would prove nothing); requests:\n%s", sent)
			}
			logs := e.logs.String()
			named := "fetch 2 commit(s) from http://x-access-token:"
			if !strings.Contains(logs, named) || !strings.Contains(logs, host) || !strings.Contains(logs, c.want) || !strings.Contains(logs, "outcome=failed") {
				t.Errorf("the logs do not say which fetch failed and how (want %q, the remote's host and %q):\n%s", named, c.want, logs)
			}
			stored := storedJobErrors(t, e)
			if !strings.Contains(stored, host) || !strings.Contains(stored, c.want) {
				t.Errorf("the queue stored no such fetch error: %q", stored)
			}
			_, checks, _, _ := e.gh.snapshot()
			check := onlyCheck(t, checks)
			for where, text := range map[string]string{"the logs": logs, "the queue's stored errors": stored, "the check run": check.title} {
				for _, s := range []string{userSecret, querySecret} {
					if strings.Contains(text, s) {
						t.Errorf("%s carry the secret %.8s…:\n%s", where, s, text)
					}
				}
			}
		})
	}
}

// storedJobErrors is every error River stored for the server's jobs, as
// the database holds them.
func storedJobErrors(t *testing.T, e *env) string {
	t.Helper()
	rows, err := e.srv.store.db.QueryContext(context.Background(), `SELECT CAST(errors AS TEXT) FROM river_job WHERE errors IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		b.WriteString(s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
