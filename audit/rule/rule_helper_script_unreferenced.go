package rule

import (
	"github.com/auditbot/auditbot/audit/message"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// helperScriptUnreferenced: shell scripts (.sh, .bash) next to an
// ecosystem file that no app runs or passes as an argument, like the
// seed's start-with-xvfb.sh. Near-empty ones (fewer than three command
// lines, or nothing but chmod/echo) are called placeholders. It is a note
// for the reader of the config; PM2 ignores such files.
type helperScriptUnreferenced struct{}

func (helperScriptUnreferenced) Meta() Meta {
	return Meta{ID: "helper-script-unreferenced", Severity: Info, Behaviours: []string{"config-file-names", "interpreter-by-extension"}, Docs: docsDeclaration}
}

// maxHelperScript is the largest helper script read (bytes).
const maxHelperScript = 64 << 10

// helperKind marks evidence that is a helper script's content.
const helperKind scan.Kind = "helper-script"

func (r helperScriptUnreferenced) Check(in *Input) []Finding {
	if in.FS == nil {
		return nil
	}
	m := r.Meta()
	// One owner file per directory: ecosystem.config.js when present
	// (what `pm2 start` loads), else the first path.
	owners := map[string]*ecosystem.File{}
	for _, f := range in.Files {
		if f == nil {
			continue
		}
		dir := path.Dir(f.Path)
		if o, ok := owners[dir]; !ok || ownerBefore(f, o) {
			owners[dir] = f
		}
	}
	refs := referencedStrings(in)
	for _, dir := range sortedKeys(owners) {
		// A script the sibling package.json runs is in use, just not by PM2.
		if b, err := fs.ReadFile(in.FS, path.Join(dir, "package.json")); err == nil && len(b) <= maxHelperScript {
			refs = append(refs, string(b))
		}
	}
	var out []Finding
	for _, dir := range sortedKeys(owners) {
		owner := owners[dir]
		entries, err := fs.ReadDir(in.FS, dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			ext := path.Ext(name)
			if ext != ".sh" && ext != ".bash" || !e.Type().IsRegular() {
				continue // not a script, or a symlink / directory: never followed
			}
			info, err := e.Info()
			if err != nil || info.Size() > maxHelperScript {
				continue
			}
			if referenced(refs, name) {
				continue
			}
			p := path.Join(dir, name)
			b, err := fs.ReadFile(in.FS, p)
			if err != nil {
				continue
			}
			cmds, firstLine, first := commandLines(string(b))
			placeholder := len(cmds) < 3 || onlyTrivial(cmds)
			content := strings.Join(cmds, "; ")
			if len(content) > 120 {
				content = content[:117] + "..."
			}
			fd := Finding{Rule: m.ID, Severity: m.Severity, Path: owner.Path, Line: fileLine(owner), Key: p,
				Args: message.Args{
					"script":      message.CodeOf(p),
					"name":        message.CodeOf(name),
					"config":      message.CodeOf(path.Base(owner.Path)),
					"placeholder": message.BoolOf(placeholder),
					"commands":    message.CountOf(len(cmds)),
					"content":     message.CodeOf(content),
				},
				About: About{Subject: HelperScript}}
			if firstLine == 0 {
				firstLine, first = 1, "(empty)"
			}
			fd.Evidence = []scan.Evidence{{Kind: helperKind, Context: scan.InCode, Path: p, Line: firstLine, Text: first}}
			out = append(out, fd)
		}
	}
	return out
}

// referencedStrings collects every static string of every app's script,
// args, interpreter and env: a helper named in any of them is in use.
func referencedStrings(in *Input) []string {
	var refs []string
	var walk func(v ecosystem.Value)
	walk = func(v ecosystem.Value) {
		switch v.Kind {
		case ecosystem.KindString:
			refs = append(refs, v.Str)
		case ecosystem.KindDynamic:
			refs = append(refs, v.Source)
		case ecosystem.KindArray:
			for _, it := range v.Items {
				walk(it)
			}
		case ecosystem.KindObject:
			for _, f := range v.Fields {
				walk(f.Value)
			}
		}
	}
	for _, a := range in.Apps {
		if a.App.Dynamic {
			refs = append(refs, a.App.Source)
		}
		for _, f := range a.App.Fields {
			c, _ := pm2.Default().Canonical(f.Key)
			switch c {
			case "script", "args", "exec_interpreter", "node_args", "post_update":
				walk(f.Value)
			}
		}
		if a.Service != nil {
			refs = append(refs, scriptOf(a), a.Service.ScriptPath)
		}
	}
	sort.Strings(refs)
	return refs
}

func referenced(refs []string, name string) bool {
	for _, s := range refs {
		if strings.Contains(s, name) {
			return true
		}
	}
	return false
}

// commandLines returns a shell script's non-blank, non-comment lines and
// the line number and text of the first one.
func commandLines(src string) (cmds []string, firstLine int, first string) {
	for i, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if firstLine == 0 {
			firstLine, first = i+1, t
		}
		cmds = append(cmds, t)
	}
	return cmds, firstLine, first
}

// onlyTrivial reports whether every command is chmod, echo, printf, true,
// exit, set or ':' — a script that does nothing useful.
func onlyTrivial(cmds []string) bool {
	for _, c := range cmds {
		w := strings.Fields(c)[0]
		switch w {
		case "chmod", "echo", "printf", "true", ":", "exit", "set":
		default:
			return false
		}
	}
	return true
}

// ownerBefore orders candidate owner files of a directory: the default
// config file first, then by path.
func ownerBefore(a, b *ecosystem.File) bool {
	ad, bd := path.Base(a.Path) == pm2.DefaultConfigFile, path.Base(b.Path) == pm2.DefaultConfigFile
	if ad != bd {
		return ad
	}
	return a.Path < b.Path
}
