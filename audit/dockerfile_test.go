package audit

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/auditbot/auditbot/audit/launcher"
)

func TestStartDirs(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // "" for none
	}{
		{"package.json at the root", map[string]string{"package.json": `{"scripts": {"prod": "pm2 start src/ecosystem.config.js --env production"}}`}, "."},
		{"package.json beside it", map[string]string{"src/package.json": `{"scripts": {"start": "pm2 start ecosystem.config.js"}}`}, "src"},
		{"Dockerfile WORKDIR is the context", map[string]string{"Dockerfile": "FROM node\nWORKDIR /app\nCOPY . .\nCMD pm2-runtime start src/ecosystem.config.js\n"}, "."},
		{"Dockerfile WORKDIR below the context", map[string]string{"Dockerfile": "FROM node\nCOPY . /srv/app\nWORKDIR /srv/app/src\nCMD [\"pm2-runtime\", \"ecosystem.config.js\"]\n"}, ""},
		{"Dockerfile WORKDIR src", map[string]string{"Dockerfile": "FROM node\nCOPY . /srv/app\nWORKDIR src\nWORKDIR /srv/app/src\nCMD [\"pm2-runtime\", \"start\", \"ecosystem.config.js\"]\n"}, "src"},
		{"Dockerfile without a copy of the context", map[string]string{"Dockerfile": "FROM node\nWORKDIR /app\nCMD pm2-runtime start src/ecosystem.config.js\n"}, ""},
		{"another file", map[string]string{"package.json": `{"scripts": {"start": "pm2 start other.config.js"}}`}, ""},
	} {
		fsys := fstest.MapFS{}
		for p, s := range c.files {
			fsys[p] = &fstest.MapFile{Data: []byte(s)}
		}
		got := startDirs(fsys, "src/ecosystem.config.js")
		switch {
		case c.want == "" && len(got) != 0:
			t.Errorf("%s: got %v, want none", c.name, got)
		case c.want != "" && (len(got) != 1 || got[c.want] == ""):
			t.Errorf("%s: got %v, want %q", c.name, got, c.want)
		}
	}
}

// FuzzDockerfile: any bytes parse without a panic into instructions with
// lines of the file, and the start directory, if any, is a clean path
// inside the repository.
func FuzzDockerfile(f *testing.F) {
	for _, s := range []string{
		"FROM node\nWORKDIR /app\nCOPY . .\nCMD [\"pm2-runtime\", \"start\", \"src/ecosystem.config.js\"]\n",
		"FROM a\nCOPY . ../..\nWORKDIR ../../..\nRUN pm2 start ../src/ecosystem.config.js\\\n",
		"WORKDIR $HOME\nADD --chown=1 ./ /x\nENTRYPOINT [\"pm2\", \"start\", \"/x/src/ecosystem.config.js\"",
		"\\\n\\\n#\n[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := strings.Count(string(b), "\n") + 1
		for _, in := range launcher.ParseDockerfile(b) {
			if in.Line < 1 || in.Line > lines {
				t.Fatalf("instruction at line %d of %d: %+v", in.Line, lines, in)
			}
		}
		if dir, _, ok := dockerStartDir(launcher.ParseDockerfile(b), ".", "src/ecosystem.config.js"); ok {
			if !insideRepo(".", dir) || strings.HasPrefix(dir, "/") {
				t.Fatalf("start directory %q outside the repository", dir)
			}
		}
	})
}
