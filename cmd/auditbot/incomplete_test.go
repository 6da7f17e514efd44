package main

import (
	"strings"
	"testing"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

// incompleteRepo commits a change that turns an ecosystem file into a
// symbolic link: the audit cannot read its apps at head.
func incompleteRepo(t *testing.T) string {
	t.Helper()
	f := changetest.NewDiskFixture(t)
	base := changetest.Tree{
		"ecosystem.config.js": changetest.Text("module.exports = { apps: [{ name: 'api', script: 'server.js' }] };\n"),
		"server.js":           changetest.Text("require('http').createServer((q, s) => s.end('ok')).listen(3000);\n"),
	}
	b := f.Commit("base", base)
	h := f.Commit("link the config", base.With(changetest.Tree{"ecosystem.config.js": changetest.Link("/etc/pm2/ecosystem.config.js")}), b)
	f.Ref("refs/heads/master", h)
	return f.Dir()
}

// TestExitStatusIncomplete protects the exit status of an audit that
// could not read part of the configuration: 3, with one line saying so,
// unless a finding already gives 1 or --fail-on never asks for 0.
func TestExitStatusIncomplete(t *testing.T) {
	dir := incompleteRepo(t)
	for _, tc := range []struct {
		failOn string
		want   int
	}{
		{"", exitIncomplete},
		{"warning", exitIncomplete},
		{"never", exitOK},
	} {
		t.Run("fail-on="+tc.failOn, func(t *testing.T) {
			args := []string{"report", "--repo", dir, "--format", "json"}
			if tc.failOn != "" {
				args = append(args, "--fail-on", tc.failOn)
			}
			r := runCLI(t, args...)
			if r.code != tc.want {
				t.Errorf("exit status %d, want %d; stderr %q", r.code, tc.want, r.stderr)
			}
			if doc := decodeDoc(t, r.stdout); doc.Summary.Verdict != "incomplete" {
				t.Errorf("verdict %q, want incomplete", doc.Summary.Verdict)
			}
			if tc.want == exitIncomplete && (strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "incomplete")) {
				t.Errorf("stderr should be one line saying the audit is incomplete, got %q", r.stderr)
			}
		})
	}
}
