package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestShallowClone protects the message for a clone made with --depth 1
// (CI checkouts): auditing HEAD needs its parent, which was not fetched.
// Exit status 2 and one line saying the clone is shallow and what to
// fetch, not "object not found" (issue 8).
func TestShallowClone(t *testing.T) {
	dir, repo := demoRepo(t)
	head, base := revSHA(t, repo, "HEAD"), revSHA(t, repo, "HEAD~1")
	if err := os.Remove(filepath.Join(dir, ".git", "objects", base[:2], base[2:])); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "shallow"), []byte(head+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "report", "--repo", dir)
	wantUsageError(t, r, "shallow clone")
	wantUsageError(t, r, `"git fetch --deepen=1"`)
}
