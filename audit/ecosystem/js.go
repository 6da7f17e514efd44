package ecosystem

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
	"github.com/go-sourcemap/sourcemap"
)

// Module forms, detected on the original source (esbuild's output
// rewrites them). Anchored at line starts so that comments do not count;
// `const config = module.exports = {...}` counts.
var (
	reModuleExports = regexp.MustCompile(`(?m)^[ \t]*(?:(?:const|let|var)[ \t]+[A-Za-z_$][\w$]*[ \t]*=[ \t]*)?(?:module\.exports(?:\.[A-Za-z_$][\w$]*)?|exports\.[A-Za-z_$][\w$]*)[ \t]*=[^=]`)
	reExportDefault = regexp.MustCompile(`(?m)^[ \t]*export[ \t]+default\b`)
	reExportApps    = regexp.MustCompile(`(?m)^[ \t]*export[ \t]+(?:const|let|var)[ \t]+apps\b|^[ \t]*export[ \t]*\{[^}]*\bapps\b`)
	reESM           = regexp.MustCompile(`(?m)^[ \t]*(?:export|import)(?:[ \t]+|[ \t]*[{*'"])`)
)

// maxResolveDepth bounds the resolver's own recursion (bindings that
// refer to bindings, nested literals).
const maxResolveDepth = 4 * MaxDepth

// jsReader resolves a goja syntax tree into Values. When the tree comes
// from esbuild's output, positions go back to the original through the
// source map.
type jsReader struct {
	ctx       context.Context
	f         *File
	orig      string
	origLines []int
	gen       string
	genLines  []int
	genShift  int // bytes prepended to orig in gen when there is no source map
	sm        *sourcemap.Consumer
	dir       string
	bindings  map[string]*binding
	resolving map[string]bool
	scopes    []map[string]Value // parameters and locals of functions being applied
	mutated   map[string]int
	values    int
	depth     int
	seen      map[string]bool
	err       *ParseError
}

// binding is a top-level variable.
type binding struct {
	init   ast.Expression
	line   int
	module string // set when the variable holds require("<module>")
	member string // set for `const { join } = require("path")`
}

func parseJS(ctx context.Context, f *File, orig string) error {
	if n := countBrackets(orig); n > MaxBrackets {
		return &ParseError{Path: f.Path, Kind: KindLimit, Msg: fmt.Sprintf("%d brackets, over the limit of %d; not read", n, MaxBrackets)}
	}
	if _, at, complex := nestingDepth(orig, MaxDepth); at >= 0 {
		line, col := lineCol([]byte(orig), at)
		msg := fmt.Sprintf("nesting deeper than %d levels; not read", MaxDepth)
		if complex {
			msg = fmt.Sprintf("more than %d operators in one expression; not read", MaxOperators)
		}
		return &ParseError{Path: f.Path, Kind: KindLimit, Line: line, Column: col, Msg: msg}
	}
	r := &jsReader{ctx: ctx, f: f, orig: orig, origLines: lineStarts(orig), dir: configDir(f.Path),
		bindings: map[string]*binding{}, resolving: map[string]bool{}, mutated: map[string]int{}, seen: map[string]bool{}}
	detectModule(f, orig)

	if f.Format == FormatJSON {
		// PM2 evaluates JSON as `(` + content + `)` (docs/pm2-behaviour.md#config-file-names).
		r.gen, r.genShift = "("+orig+")", 1
		prog, err := parser.ParseFile(nil, f.Path, r.gen, 0, parser.WithDisableSourceMaps)
		if err != nil {
			return r.gojaError(err)
		}
		r.genLines = lineStarts(r.gen)
		var cfg ast.Expression
		if len(prog.Body) == 1 {
			if es, ok := prog.Body[0].(*ast.ExpressionStatement); ok {
				cfg = es.Expression
			}
		}
		if cfg == nil {
			return &ParseError{Path: f.Path, Line: 1, Msg: "not a single JavaScript expression"}
		}
		return r.finish(r.value(cfg, false))
	}

	needESBuild := f.Format == FormatMJS || f.Format == FormatTS ||
		(strings.Contains(orig, "export") || strings.Contains(orig, "import")) && reESM.MatchString(orig)
	var prog *ast.Program
	if !needESBuild {
		p, err := parser.ParseFile(nil, f.Path, orig, 0, parser.WithDisableSourceMaps)
		if err == nil {
			prog, r.gen = p, orig
		} else if p2, err2 := r.viaESBuild(); err2 == nil {
			prog = p2
		} else {
			return r.gojaError(err)
		}
	} else {
		p, err := r.viaESBuild()
		if err != nil {
			return err
		}
		prog = p
	}
	if r.genLines == nil {
		r.genLines = lineStarts(r.gen)
	}
	cfg, ok := r.exports(prog)
	if !ok {
		return r.err.orNil()
	}
	return r.finish(cfg)
}

func (e *ParseError) orNil() error {
	if e == nil {
		return nil
	}
	return e
}

// viaESBuild turns ESM or TypeScript into CommonJS with esbuild (a pure
// syntax transform: it executes nothing and reads no file) and parses the
// result with goja. Positions come back through the source map.
func (r *jsReader) viaESBuild() (*ast.Program, error) {
	loader := api.LoaderJS
	if r.f.Format == FormatTS {
		loader = api.LoaderTS
	}
	res := api.Transform(r.orig, api.TransformOptions{
		Loader:     loader,
		Format:     api.FormatCommonJS,
		Sourcemap:  api.SourceMapExternal,
		Sourcefile: path.Base(r.f.Path),
		Target:     api.ESNext,
		LogLevel:   api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		m := res.Errors[0]
		pe := &ParseError{Path: r.f.Path, Msg: "syntax error: " + m.Text}
		if m.Location != nil {
			pe.Line, pe.Column = m.Location.Line, m.Location.Column+1
		}
		return nil, pe
	}
	sm, err := sourcemap.Parse("", res.Map)
	if err != nil {
		return nil, &ParseError{Path: r.f.Path, Kind: KindLimit, Msg: fmt.Sprintf("internal: source map of the transformed file: %v", err)}
	}
	gen := string(res.Code)
	prog, err := parser.ParseFile(nil, r.f.Path, gen, 0, parser.WithDisableSourceMaps)
	if err != nil {
		r.gen, r.sm, r.genLines = gen, sm, lineStarts(gen)
		return nil, r.gojaError(err)
	}
	r.gen, r.sm, r.genLines = gen, sm, lineStarts(gen)
	return prog, nil
}

func (r *jsReader) gojaError(err error) error {
	pe := &ParseError{Path: r.f.Path, Msg: "syntax error: " + err.Error()}
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		pe.Msg = "syntax error: " + e.Message
		line, col := e.Position.Line, e.Position.Column
		if r.sm != nil {
			if _, _, l, c, ok := r.sm.Source(line, col-1); ok {
				line, col = l, c+1
			}
		} else if line == 1 {
			col -= r.genShift
		}
		pe.Line, pe.Column = line, max(col, 1)
	}
	return pe
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// origOffset maps a goja index to an offset in the original source, or
// -1 when the source map has no mapping for it.
func (r *jsReader) origOffset(idx file.Idx) int {
	off := int(idx) - 1
	if off < 0 {
		return -1
	}
	if r.sm == nil {
		off -= r.genShift
		if off < 0 {
			off = 0
		}
		if off > len(r.orig) {
			return -1
		}
		return off
	}
	gl := sort.SearchInts(r.genLines, off+1) - 1
	if gl < 0 {
		return -1
	}
	gc := off - r.genLines[gl]
	_, _, line, col, ok := r.sm.Source(gl+1, gc)
	if !ok || line < 1 || line > len(r.origLines) {
		return -1
	}
	o := r.origLines[line-1] + col
	if o > len(r.orig) {
		return -1
	}
	return o
}

// line returns the 1-based original line of a goja index (0 if unknown).
func (r *jsReader) line(idx file.Idx) int {
	o := r.origOffset(idx)
	if o < 0 {
		return 0
	}
	return sort.SearchInts(r.origLines, o+1)
}

// text returns the original source text of an expression.
func (r *jsReader) text(e ast.Node) string {
	if r.sm == nil {
		a, b := int(e.Idx0())-1-r.genShift, int(e.Idx1())-1-r.genShift
		if a >= 0 && b <= len(r.orig) && a <= b {
			return r.orig[a:b]
		}
		return ""
	}
	o := r.origOffset(e.Idx0())
	if o < 0 {
		a, b := int(e.Idx0())-1, int(e.Idx1())-1
		if a >= 0 && b <= len(r.gen) && a <= b {
			return r.gen[a:b]
		}
		return ""
	}
	return r.orig[o:exprEnd(r.orig, o)]
}

// endLine returns the line of the bracket closing a literal.
func (r *jsReader) endLine(open, close file.Idx) int {
	if r.sm == nil {
		return r.line(close)
	}
	o := r.origOffset(open)
	if o >= 0 && o < len(r.orig) && (r.orig[o] == '{' || r.orig[o] == '[') {
		if c := matchClose(r.orig, o); c >= 0 {
			return sort.SearchInts(r.origLines, c+1)
		}
	}
	return 0
}

// detectModule fills f.Module from the original source.
func detectModule(f *File, src string) {
	if f.Format == FormatJSON {
		return
	}
	hasExports, hasExport := strings.Contains(src, "exports"), strings.Contains(src, "export")
	firstLine := func(re *regexp.Regexp) int {
		if !hasExport || re == reModuleExports && !hasExports {
			return 0
		}
		loc := re.FindStringIndex(src)
		if loc == nil {
			return 0
		}
		// The pattern is anchored at a line start: the match's line.
		return strings.Count(src[:loc[0]], "\n") + 1
	}
	if l := firstLine(reModuleExports); l > 0 {
		f.Module.ModuleExports, f.Module.ExportLine = true, l
	}
	if l := firstLine(reExportApps); l > 0 {
		f.Module.ExportNamedApps, f.Module.ExportLine = true, l
	}
	if l := firstLine(reExportDefault); l > 0 {
		f.Module.ExportDefault, f.Module.ExportLine = true, l
	}
}
