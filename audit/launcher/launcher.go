// Package launcher reads, statically, the files through which a
// repository starts pm2: Dockerfiles (which commands run pm2, the WORKDIR
// they run in, the ENV the image sets) and package.json scripts. Nothing
// is built or run.
package launcher

import (
	"encoding/json"
	"io/fs"
	"path"
	"strings"
)

// MaxSize bounds the launcher files (Dockerfiles, package.json) the audit
// reads; a larger file is not read.
const MaxSize = 1 << 20

// Instr is one instruction of a Dockerfile: its upper-cased name, its
// arguments (an exec-form JSON array joined with spaces) and the line it
// starts on.
type Instr struct {
	Cmd  string
	Args string
	Line int
}

// ParseDockerfile reads a Dockerfile: comments and blank lines dropped, lines
// ending in a backslash joined with the next, the exec form (["a", "b"])
// joined with spaces. Parser directives, heredocs and escape characters
// other than the backslash are not interpreted. It never fails: a line it
// does not understand is an instruction with no arguments.
func ParseDockerfile(b []byte) []Instr {
	var out []Instr
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		text := strings.TrimSpace(lines[i])
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			next := strings.TrimSpace(lines[i])
			if strings.HasPrefix(next, "#") {
				continue // a comment inside a continued instruction
			}
			text = strings.TrimSuffix(text, `\`) + " " + next
		}
		text = strings.TrimSuffix(text, `\`)
		cmd, rest, _ := strings.Cut(text, " ")
		rest = strings.TrimSpace(rest)
		var argv []string
		if strings.HasPrefix(rest, "[") && json.Unmarshal([]byte(rest), &argv) == nil {
			rest = strings.Join(argv, " ")
		}
		out = append(out, Instr{Cmd: strings.ToUpper(cmd), Args: rest, Line: start + 1})
	}
	return out
}

// IsCommand reports whether in runs a command (RUN, CMD, ENTRYPOINT).
func (in Instr) IsCommand() bool {
	switch in.Cmd {
	case "RUN", "CMD", "ENTRYPOINT":
		return true
	}
	return false
}

// Read reads the regular file p of at most MaxSize bytes, or returns
// nil (missing, not regular, too large, unreadable, or a nil fsys).
func Read(fsys fs.FS, p string) []byte {
	if fsys == nil {
		return nil
	}
	st, err := fs.Stat(fsys, p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > MaxSize {
		return nil
	}
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil
	}
	return b
}

// NearestPackage finds the package.json node reads for a file in dir: the
// nearest regular package.json at or above dir (node stops at the first it
// finds). It returns that file's path and its content read through Read:
// nil when it is over MaxSize or unreadable, so that the walk stops there
// without reading it, as node would not look further up either. p is ""
// when no package.json exists at or above dir.
func NearestPackage(fsys fs.FS, dir string) (p string, b []byte) {
	if fsys == nil {
		return "", nil
	}
	for d := dir; ; d = path.Dir(d) {
		p := path.Join(d, "package.json")
		if st, err := fs.Stat(fsys, p); err == nil && st.Mode().IsRegular() {
			return p, Read(fsys, p)
		}
		if d == "." || d == "/" || d == "" {
			return "", nil
		}
	}
}

// PackageType returns the "type" of a package.json ("" when b is not a
// JSON object or has none).
func PackageType(b []byte) string {
	var pkg struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(b, &pkg) != nil {
		return ""
	}
	return pkg.Type
}

// Scripts returns the scripts of a package.json, or nil when b is not a
// JSON object (a script of another type makes the whole file unread, as
// npm refuses it too).
func Scripts(b []byte) map[string]string {
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(b, &pkg) != nil {
		return nil
	}
	return pkg.Scripts
}
