package githubapi

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCloneURLs(t *testing.T) {
	cases := []struct{ api, owner, repo, want string }{
		{"", "octo", "hello", "https://github.com/octo/hello.git"},
		{"https://api.github.com/", "octo", "hello.js", "https://github.com/octo/hello.js.git"},
		{"https://ghe.example.com/api/v3/", "team", "svc", "https://ghe.example.com/team/svc.git"},
		{"http://127.0.0.1:8080/api/v3", "a", "b", "http://127.0.0.1:8080/a/b.git"},
	}
	for _, c := range cases {
		f, err := CloneURLs(c.api)
		if err != nil {
			t.Fatalf("%q: %v", c.api, err)
		}
		got, err := f(c.owner, c.repo)
		if err != nil || got != c.want {
			t.Errorf("%q %s/%s = %q, %v; want %q", c.api, c.owner, c.repo, got, err, c.want)
		}
	}
	f, _ := CloneURLs("")
	for _, bad := range [][2]string{{"..", "x"}, {"a", "b/../../c"}, {"a?", "b"}, {"", "b"}, {"a", "b@evil.com"}} {
		if got, err := f(bad[0], bad[1]); err == nil {
			t.Errorf("%v: got %q, want an error", bad, got)
		}
	}
}

func TestSplitFullName(t *testing.T) {
	for _, ok := range []string{"Codertocat/Hello-World", "a/b.c", "a_b/c-d"} {
		if _, _, err := SplitFullName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a", "a/b/c", "../b", "a/..", "a/b%2f", "a /b", "a/b\n"} {
		if _, _, err := SplitFullName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                             DefaultBaseURL,
		"https://ghe.example/api/v3":   "https://ghe.example/api/v3/",
		"https://ghe.example/api/v3/":  "https://ghe.example/api/v3/",
		"http://127.0.0.1:9999/prefix": "http://127.0.0.1:9999/prefix/",
	} {
		u, err := NormalizeBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("%q = %v, %v; want %q", in, u, err, want)
		}
	}
	for _, bad := range []string{"ftp://x/", "https://user:pw@ghe/api/v3/", "/api/v3/", "https://ghe/api/v3/?x=1"} {
		if _, err := NormalizeBaseURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestEnterpriseBaseURLIsTheOnlyAddressCalled(t *testing.T) {
	var paths []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"number": 1}`)) //nolint:errcheck
	}))
	defer ts.Close()
	tc, err := NewTokenClients("tok", Options{BaseURL: ts.URL + "/api/v3/"})
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := tc.Installation(context.Background(), 0)
	if _, _, err := inst.Client.PullRequests.Get(context.Background(), "o", "r", 1); err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0] != "/api/v3/repos/o/r/pulls/1" {
		t.Errorf("called %v", paths)
	}
}

func TestAppClientsCheckTheKey(t *testing.T) {
	if _, err := NewAppClients(1, []byte("not a key"), Options{}); err == nil {
		t.Error("a bad key was accepted")
	}
	if _, err := NewAppClients(0, nil, Options{}); err == nil {
		t.Error("app id 0 was accepted")
	}
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	a, err := NewAppClients(7, pemKey, Options{BaseURL: "https://ghe.example/api/v3/"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(); err != nil {
		t.Error(err)
	}
	if _, err := a.Installation(context.Background(), 0); err == nil {
		t.Error("installation 0 accepted")
	}
	i1, _ := a.Installation(context.Background(), 5)
	i2, _ := a.Installation(context.Background(), 5)
	if i1 != i2 {
		t.Error("installation clients are not cached")
	}
	if _, err := NewTokenClients(" ", Options{}); err == nil {
		t.Error("empty token accepted")
	}
}
