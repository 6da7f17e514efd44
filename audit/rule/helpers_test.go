package rule

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/auditbot/auditbot/audit/ecosystem"
	"github.com/auditbot/auditbot/audit/pm2"
	"github.com/auditbot/auditbot/audit/scan"
)

// Value builders.
func str(s string) ecosystem.Value   { return ecosystem.Value{Kind: ecosystem.KindString, Str: s} }
func num(n float64) ecosystem.Value  { return ecosystem.Value{Kind: ecosystem.KindNumber, Num: n} }
func boolean(b bool) ecosystem.Value { return ecosystem.Value{Kind: ecosystem.KindBool, Bool: b} }
func null() ecosystem.Value          { return ecosystem.Value{Kind: ecosystem.KindNull} }
func dyn(src string) ecosystem.Value {
	return ecosystem.Value{Kind: ecosystem.KindDynamic, Source: src}
}
func arr(items ...ecosystem.Value) ecosystem.Value {
	return ecosystem.Value{Kind: ecosystem.KindArray, Items: items}
}
func obj(fields ...ecosystem.Field) ecosystem.Value {
	return ecosystem.Value{Kind: ecosystem.KindObject, Fields: fields}
}

// kv is one option written at line.
func kv(key string, line int, v ecosystem.Value) ecosystem.Field {
	v.Line = line
	return ecosystem.Field{Key: key, Value: v, Line: line}
}

// app is one app whose object starts at line.
func app(name string, line int, fields ...ecosystem.Field) ecosystem.App {
	return ecosystem.App{Name: name, Line: line, Fields: fields}
}

// file is a CommonJS ecosystem file (module.exports on line 1) whose
// format and loadability follow its name, as PM2 decides them.
func file(p string, apps ...ecosystem.App) *ecosystem.File {
	f := &ecosystem.File{Path: p, Apps: apps, AppsLine: 2, Module: ecosystem.Module{ModuleExports: true, ExportLine: 1}}
	for i := range f.Apps {
		f.Apps[i].Index = i
	}
	switch ext := path.Ext(p); {
	case ext == ".cjs":
		f.Format = ecosystem.FormatCJS
	case ext == ".mjs":
		f.Format = ecosystem.FormatMJS
	case ext == ".ts":
		f.Format = ecosystem.FormatTS
	case strings.Contains(p, ".json"):
		f.Format = ecosystem.FormatJSON
	case ext == ".yml" || ext == ".yaml":
		f.Format = ecosystem.FormatYAML
	default:
		f.Format = ecosystem.FormatJS
	}
	f.Loadable = pm2.ConfigFileKind(p) != pm2.ConfigNone
	return f
}

// svc is a scanned service in dir running script, with the given code
// evidence. An app of the table that writes no script runs this one
// (input).
func svc(dir, script string, ev ...scan.Evidence) *Service {
	return &Service{Dir: dir, ScriptPath: path.Join(dir, script), ScriptExists: true,
		Scan: &scan.Result{Dir: dir, Files: 3, Evidence: ev}}
}

// with applies changes to a service.
func with(s *Service, change func(*Service)) *Service { change(s); return s }

// ev is one piece of evidence.
func ev(k scan.Kind, c scan.Context, p string, line int, detail string) scan.Evidence {
	return scan.Evidence{Kind: k, Context: c, Path: p, Line: line, Detail: detail, Text: string(k) + " " + detail}
}

// input builds the model of a revision: every app of every file, with the
// service of the same app name (services keyed by app name).
func input(fsys fs.FS, files []*ecosystem.File, services map[string]*Service) *Input {
	in := &Input{FS: fsys, Files: files}
	for _, f := range files {
		for i := range f.Apps {
			a := &f.Apps[i]
			s := services[a.Name]
			in.Apps = append(in.Apps, &App{File: f, App: a, PM2: resolveApp(a, s), Service: s})
		}
	}
	return in
}

func files(fs ...*ecosystem.File) []*ecosystem.File { return fs }

// resolveApp resolves an app of a table as the engine does. An app that
// writes no script runs its service's: the path of the service's script
// relative to its directory stands for the script option.
func resolveApp(a *ecosystem.App, s *Service) pm2.App {
	if _, ok := a.Option("script"); ok || s == nil || s.ScriptPath == "" {
		return a.PM2(pm2.Host{})
	}
	withScript := *a
	script := strings.TrimPrefix(s.ScriptPath, s.Dir+"/")
	withScript.Fields = append(slices.Clip(a.Fields), ecosystem.Field{Key: "script", Value: str(script)})
	return withScript.PM2(pm2.Host{})
}

type svcs = map[string]*Service

// mapFS is a small repository tree.
func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for p, content := range files {
		m[p] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
	}
	return m
}

// describe renders findings as "rule path:line app key".
func describe(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%s %s:%d %s %s", f.Rule, f.Path, f.Line, f.App, f.Key)
	}
	return out
}

type (
	valueT = ecosystem.Value
	fieldT = ecosystem.Field
)

// w formats one expected finding.
func w(rule, p string, line int, app, key string) string {
	return fmt.Sprintf("%s %s:%d %s %s", rule, p, line, app, key)
}

const cfg = "svc/ecosystem.config.js"

var (
	sigint      = ev(scan.SignalHandler, scan.InCode, "svc/index.js", 30, "SIGINT")
	sigterm     = ev(scan.SignalHandler, scan.InCode, "svc/index.js", 31, "SIGTERM")
	listen3001  = ev(scan.Listen, scan.InCode, "svc/index.js", 12, "PORT")
	portDefault = ev(scan.PortDefault, scan.InCode, "svc/index.js", 5, "3001")
)

var (
	testHandshake   = ev(scan.Handshake, scan.InTest, "svc/test/server.test.js", 12, scan.HandshakeDetail)
	workerHandshake = ev(scan.WorkerHandshake, scan.InCode, "svc/index.js", 21, scan.WorkerDetail)
	possible        = ev(scan.PossibleHandshake, scan.InCode, "svc/ipc.js", 8, "msg")
)

// waitReady is app api with wait_ready: true at line 7, running s.
func waitReady(s *Service) *Input {
	return input(nil, files(file(cfg, app("api", 3, kv("wait_ready", 7, boolean(true))))), svcs{"api": s})
}
