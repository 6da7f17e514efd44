package main

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the module root, two levels above this package.
const repoRoot = "../.."

// TestDockerfileBuild runs the Dockerfile's build command exactly as
// written: no Docker engine runs on these machines, so this is what keeps
// the image's build honest. It also checks the image's promises.
func TestDockerfileBuild(t *testing.T) {
	docker, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var run string
	for _, l := range strings.Split(string(docker), "\n") {
		if strings.HasPrefix(l, "RUN ") && strings.Contains(l, " go build ") {
			run = strings.TrimSpace(strings.TrimPrefix(l, "RUN "))
		}
	}
	if run == "" {
		t.Fatal("no `RUN ... go build` line in the Dockerfile")
	}
	for _, want := range []string{"CGO_ENABLED=0", "USER nonroot", "EXPOSE 8080", "HEALTHCHECK", "distroless/static"} {
		if !strings.Contains(string(docker), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if testing.Short() {
		t.Skip("-short: not building the binary")
	}
	// Run exactly as written, in the module root like the Dockerfile's
	// WORKDIR; bin/ is git-ignored.
	cmd := exec.Command("sh", "-c", run)
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", run, err, b)
	}
	// A static binary: no dynamic section means no interpreter needed.
	bin, err := os.ReadFile(filepath.Join(repoRoot, "bin", "auditbot"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bin, []byte("/lib64/ld-linux")) || bytes.Contains(bin, []byte("/lib/ld-linux")) {
		t.Error("binary is dynamically linked")
	}
}

// TestGofmt keeps every Go file of the module gofmt-clean.
func TestGofmt(t *testing.T) {
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "testdata" && strings.Contains(p, "proof")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got, err := format.Source(src)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if !bytes.Equal(got, src) {
			t.Errorf("%s is not gofmt-clean (run gofmt -w)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
