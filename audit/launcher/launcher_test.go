package launcher

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestParseDockerfile: comments dropped (also inside a continued instruction),
// continuation lines joined, the exec form joined with spaces, each
// instruction at the line it starts on, an unknown line kept.
func TestParseDockerfile(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\nFROM node:20 AS base\n\nWORKDIR /app\nCOPY --chown=node . .\nRUN npm ci \\\n  # a comment\n  && npm run build\nCMD [\"pm2-runtime\", \"start\", \"ecosystem.config.js\"]\nbroken\n"
	got := ParseDockerfile([]byte(src))
	want := []Instr{
		{"FROM", "node:20 AS base", 2}, {"WORKDIR", "/app", 4}, {"COPY", "--chown=node . .", 5},
		{"RUN", "npm ci  && npm run build", 6}, {"CMD", "pm2-runtime start ecosystem.config.js", 9}, {"BROKEN", "", 10},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("instruction %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	var cmds []string
	for _, in := range got {
		if in.IsCommand() {
			cmds = append(cmds, in.Cmd)
		}
	}
	if strings.Join(cmds, " ") != "RUN CMD" {
		t.Errorf("commands: %v, want RUN CMD", cmds)
	}
}

// TestRead: only a regular file within MaxSize is read.
func TestRead(t *testing.T) {
	fsys := fstest.MapFS{
		"Dockerfile": {Data: []byte("FROM node\n")},
		"big":        {Data: make([]byte, MaxSize+1)},
		"dir/x":      {Data: []byte("x")},
	}
	for _, c := range []struct {
		path string
		want bool
	}{{"Dockerfile", true}, {"big", false}, {"dir", false}, {"missing", false}} {
		if got := Read(fsys, c.path) != nil; got != c.want {
			t.Errorf("Read(%q) read=%v, want %v", c.path, got, c.want)
		}
	}
	if Read(nil, "Dockerfile") != nil {
		t.Error("Read(nil fsys) read something")
	}
}

// FuzzParseDockerfile: any bytes parse without a panic into instructions at lines
// of the file, with upper-case names.
func FuzzParseDockerfile(f *testing.F) {
	for _, s := range []string{"FROM node\nCMD [\"pm2\"]\n", "\\\n\\\n#\n[", "run a \\\n# c\n b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := strings.Count(string(b), "\n") + 1
		for _, in := range ParseDockerfile(b) {
			if in.Line < 1 || in.Line > lines || in.Cmd != strings.ToUpper(in.Cmd) {
				t.Fatalf("instruction %+v of a %d-line file", in, lines)
			}
		}
	})
}

// TestScripts: a package.json's scripts, none for one that is not JSON.
func TestScripts(t *testing.T) {
	got := Scripts([]byte(`{"name": "x", "scripts": {"start": "pm2 start ecosystem.config.js"}}`))
	if len(got) != 1 || got["start"] != "pm2 start ecosystem.config.js" {
		t.Errorf("got %v", got)
	}
	if got := Scripts([]byte(`{"scripts": `)); got != nil {
		t.Errorf("broken JSON: got %v", got)
	}
}

// countingFS counts the bytes read from each file of a MapFS. It has only
// Open, so that fs.Stat and fs.ReadFile go through it.
type countingFS struct {
	files fstest.MapFS
	read  map[string]int
}

func (c countingFS) Open(name string) (fs.File, error) {
	f, err := c.files.Open(name)
	if err != nil {
		return nil, err
	}
	return countingFile{f, name, c.read}, nil
}

type countingFile struct {
	fs.File
	name string
	read map[string]int
}

func (f countingFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	f.read[f.name] += n
	return n, err
}

// oversizedPackage is a valid package.json over MaxSize that says
// "type": "module" and has a build script.
func oversizedPackage() []byte {
	return []byte(`{"type": "module", "scripts": {"build": "tsc"}, "description": "` + strings.Repeat("x", MaxSize) + `"}`)
}

// TestNearestPackage: the nearest package.json wins (node stops at the first
// it finds); one over MaxSize stops the walk without a byte of it read,
// rather than being read whole or skipped for its parent's.
func TestNearestPackage(t *testing.T) {
	fsys := countingFS{fstest.MapFS{
		"package.json":           {Data: []byte(`{"type": "commonjs"}`)},
		"svc/package.json":       {Data: []byte(`{"type": "module"}`)},
		"big/package.json":       {Data: oversizedPackage()},
		"dir/package.json/x":     {Data: []byte("a directory named package.json")},
		"svc/deep/er/index.js":   {Data: []byte("")},
		"big/src/index.js":       {Data: []byte("")},
		"dir/src/package.json.x": {Data: []byte("")},
	}, map[string]int{}}
	for _, c := range []struct {
		dir, path, typ string
		read           bool
	}{
		{"svc/deep/er", "svc/package.json", "module", true},
		{"svc", "svc/package.json", "module", true},
		{".", "package.json", "commonjs", true},
		{"dir/src", "package.json", "commonjs", true}, // a directory is no package.json
		{"big/src", "big/package.json", "", false},
	} {
		p, b := NearestPackage(fsys, c.dir)
		if p != c.path || (b != nil) != c.read || PackageType(b) != c.typ {
			t.Errorf("NearestPackage(%q) = %q, read %v, type %q; want %q, read %v, type %q", c.dir, p, b != nil, PackageType(b), c.path, c.read, c.typ)
		}
	}
	if n := fsys.read["big/package.json"]; n != 0 {
		t.Errorf("%d bytes of the oversized package.json were read", n)
	}
	if p, b := NearestPackage(fstest.MapFS{}, "a/b"); p != "" || b != nil {
		t.Errorf("no package.json: got %q, %d bytes", p, len(b))
	}
}
