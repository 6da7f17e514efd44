package ecosystem

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Limits on untrusted input. A file beyond one of them is refused with a
// ParseError that names the limit.
const (
	// MaxFileSize is the largest ecosystem file read (1 MiB).
	MaxFileSize = 1 << 20
	// MaxDepth is the deepest bracket nesting accepted ([[[...], {{...}},
	// ((...))). The parsers are recursive: without this cap a deep input
	// overflows the stack, a fatal error no recover catches.
	MaxDepth = 100
	// MaxBrackets bounds the number of opening brackets in the whole file
	// (in code, strings or comments alike). It backs MaxDepth against a
	// lexer confused by an exotic regular expression: the real nesting
	// can never exceed it, and at this bound the parser's recursion stays
	// well inside the default stack.
	MaxBrackets = 100_000
	// MaxOperators bounds the operators and recursive keywords in one run
	// of code without a separator (see nestingDepth).
	MaxOperators = 1000
	// MaxElements is the most elements one array or object literal may
	// hold.
	MaxElements = 10_000
	// MaxValues bounds the number of values produced after resolving
	// bindings and spreads (a binding referenced many times is expanded
	// each time: this stops exponential "billion laughs" inputs).
	MaxValues = 200_000
)

// Parse reads an ecosystem file statically, never executing it. path is
// the file's slash-separated path relative to the repository root; it
// selects the format (DetectFormat) and anchors `__dirname`. src is the
// file content. The error is always a *ParseError: a syntax error (with
// line and column), content that is not UTF-8 or is binary, a file larger
// than MaxFileSize, nesting deeper than MaxDepth, a literal with more than
// MaxElements elements, or an expansion beyond MaxValues.
func Parse(ctx context.Context, path string, src []byte) (*File, error) {
	if err := ctx.Err(); err != nil {
		return nil, &ParseError{Path: path, Kind: KindLimit, Msg: fmt.Sprintf("parse cancelled: %v", err)}
	}
	format, loadable := DetectFormat(path)
	if format == "" {
		format = FormatJS
	}
	if len(src) > MaxFileSize {
		return nil, &ParseError{Path: path, Kind: KindSize, Msg: fmt.Sprintf("file is %d bytes, over the %d-byte (1 MiB) limit for ecosystem files; not read", len(src), MaxFileSize)}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := lineCol(src, i)
		return nil, &ParseError{Path: path, Kind: KindBinary, Line: line, Column: col, Msg: "binary content (NUL byte); not an ecosystem file"}
	}
	f := &File{Path: path, Format: format, Loadable: loadable, Lines: countLines(src)}
	if !utf8.Valid(src) {
		// Node loads it anyway (a config saved by an editor in Latin-1
		// or Windows-1252): read it as Latin-1, as its author wrote it,
		// and say so. Every byte is a Latin-1 character; only NUL bytes,
		// refused above, make content no text at all.
		i := firstInvalidUTF8(src)
		line, col := lineCol(src, i)
		dec, err := charmap.ISO8859_1.NewDecoder().Bytes(src)
		if err != nil {
			return nil, &ParseError{Path: path, Kind: KindBinary, Line: line, Column: col, Msg: fmt.Sprintf("content is neither UTF-8 nor Latin-1: %v", err)}
		}
		src = dec
		f.Encoding = &Encoding{Name: "latin1", Line: line, Column: col}
	}
	text := string(src)
	var err error
	if format == FormatYAML {
		err = parseYAML(ctx, f, text)
	} else {
		err = parseJS(ctx, f, text)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// lineCol returns the 1-based line and column (in bytes) of offset.
func lineCol(src []byte, offset int) (int, int) {
	if offset > len(src) {
		offset = len(src)
	}
	line := 1 + bytes.Count(src[:offset], []byte{'\n'})
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	return line, offset - start + 1
}

func countLines(src []byte) int {
	if len(src) == 0 {
		return 0
	}
	n := bytes.Count(src, []byte{'\n'})
	if src[len(src)-1] != '\n' {
		n++
	}
	return n
}

// configDir is the repository-relative directory `__dirname` stands for.
func configDir(p string) string {
	d := path.Dir(strings.TrimPrefix(path.Clean("/"+p), "/"))
	if d == "" {
		return "."
	}
	return d
}
