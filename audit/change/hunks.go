package change

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	fdiff "github.com/go-git/go-git/v5/plumbing/format/diff"
	"github.com/go-git/go-git/v5/plumbing/storer"
	gitdiff "github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/sourcegraph/go-diff/diff"
)

// MaxBlobSize is the largest blob Hunks diffs; a bigger side makes the
// patch TooLarge, without hunks.
const MaxBlobSize = 4 << 20

// binarySniffLen is how much of a blob git looks at for a NUL byte to call
// it binary.
const binarySniffLen = 8000

// contextLines is git's default (-U3).
const contextLines = 3

// diffTimeout bounds the line diff of two large, very different files;
// past it the diff stays correct but coarser (a bulk delete and insert).
const diffTimeout = 20 * time.Second

// LineState says what a change did to one line.
type LineState string

// The states of a line.
const (
	LineAdded   LineState = "added"
	LineRemoved LineState = "removed"
	LineContext LineState = "context" // untouched by the change
)

// Patch is the unified diff of one file, parsed into go-diff hunks (three
// lines of context, like git diff).
type Patch struct {
	Hunks []*diff.Hunk
	// Binary is true when either side has a NUL byte in its first 8000
	// bytes (git's rule); there are no hunks then.
	Binary bool
	// TooLarge is true when either side is over MaxBlobSize; there are no
	// hunks then.
	TooLarge bool

	lines   []Line
	added   map[int]bool
	removed map[int]bool
}

// Line is one line of a hunk. Op is '+', '-' or ' '; Old and New are its
// 1-based line numbers on each side, 0 on the side where it does not exist.
// Text has no line terminator.
type Line struct {
	Op       byte
	Text     string
	Old, New int
}

// Lines returns the lines of every hunk in order.
func (p *Patch) Lines() []Line { return p.lines }

// LineOnNew says whether line n of the new version was added by the change
// or is context (lines outside every hunk are untouched: context).
func (p *Patch) LineOnNew(n int) LineState {
	if p.added[n] {
		return LineAdded
	}
	return LineContext
}

// LineOnOld says whether line n of the old version was removed by the
// change or is context.
func (p *Patch) LineOnOld(n int) LineState {
	if p.removed[n] {
		return LineRemoved
	}
	return LineContext
}

// Hunks builds the unified diff of one changed file from its two blobs and
// parses it with go-diff. Submodules have no content here: their patch is
// empty. Symbolic links are diffed as their target text, like git does.
func Hunks(ctx context.Context, repo *git.Repository, f File) (*Patch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &Patch{}
	if f.Submodule || f.OldHash == f.NewHash {
		return p.index(), nil
	}
	old, tooLargeOld, err := readBlob(repo.Storer, f.OldHash, f.OldMode)
	if err != nil {
		return nil, fmt.Errorf("read %s at base: %w", f.OldPath, err)
	}
	cur, tooLargeNew, err := readBlob(repo.Storer, f.NewHash, f.NewMode)
	if err != nil {
		return nil, fmt.Errorf("read %s at head: %w", f.Path, err)
	}
	if tooLargeOld || tooLargeNew {
		p.TooLarge = true
		return p.index(), nil
	}
	if isBinary(old) || isBinary(cur) {
		p.Binary = true
		return p.index(), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	text, err := unified(f, string(old), string(cur))
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", f.Path, err)
	}
	if len(text) == 0 {
		return p.index(), nil
	}
	fd, err := diff.ParseFileDiff(text)
	if err != nil {
		return nil, fmt.Errorf("parse diff of %s: %w", f.Path, err)
	}
	oldLines := splitText(old)
	for _, h := range fd.Hunks {
		h.Section = section(oldLines, int(h.OrigStartLine))
	}
	p.Hunks = fd.Hunks
	return p.index(), nil
}

// readBlob reads a blob unless it is absent (zero hash) or bigger than
// MaxBlobSize, which is checked from the object header first.
func readBlob(s storer.EncodedObjectStorer, h plumbing.Hash, mode filemode.FileMode) ([]byte, bool, error) {
	if h.IsZero() || mode == filemode.Submodule {
		return nil, false, nil
	}
	size, err := s.EncodedObjectSize(h)
	if err != nil {
		return nil, false, fmt.Errorf("size of blob %s: %w", h, err)
	}
	if size > MaxBlobSize {
		return nil, true, nil
	}
	obj, err := s.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, false, fmt.Errorf("blob %s: %w", h, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("blob %s: %w", h, err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, MaxBlobSize+1))
	if err != nil {
		return nil, false, fmt.Errorf("blob %s: %w", h, err)
	}
	if len(b) > MaxBlobSize {
		return nil, true, nil
	}
	return b, false, nil
}

func isBinary(b []byte) bool {
	if len(b) > binarySniffLen {
		b = b[:binarySniffLen]
	}
	return bytes.IndexByte(b, 0) >= 0
}

// unified renders the diff of one file with go-git's unified encoder.
func unified(f File, old, cur string) ([]byte, error) {
	diffs := gitdiff.DoWithTimeout(old, cur, diffTimeout)
	chunks := make([]fdiff.Chunk, 0, len(diffs))
	changed := false
	for _, d := range diffs {
		var op fdiff.Operation
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			op = fdiff.Equal
		case diffmatchpatch.DiffInsert:
			op, changed = fdiff.Add, true
		case diffmatchpatch.DiffDelete:
			op, changed = fdiff.Delete, true
		}
		chunks = append(chunks, chunk{content: d.Text, op: op})
	}
	if !changed {
		return nil, nil
	}
	fp := filePatch{chunks: chunks}
	if !f.OldHash.IsZero() {
		fp.from = &patchFile{path: f.OldPath, hash: f.OldHash, mode: f.OldMode}
	}
	if !f.NewHash.IsZero() {
		fp.to = &patchFile{path: f.Path, hash: f.NewHash, mode: f.NewMode}
	}
	var buf bytes.Buffer
	if err := fdiff.NewUnifiedEncoder(&buf, contextLines).Encode(patch{fp}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// section is git's default hunk header: the nearest line above the hunk
// that starts with a letter, '_' or '$', cut to 80 bytes, trailing space
// trimmed.
func section(oldLines []string, start int) string {
	for i := min(start-1, len(oldLines)) - 1; i >= 0; i-- {
		l := oldLines[i]
		if l == "" {
			continue
		}
		c := l[0]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_' || c == '$' {
			if len(l) > 80 {
				l = l[:80]
			}
			return strings.TrimRight(l, " \t\r\n\f\v")
		}
	}
	return ""
}

func splitText(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	s := strings.TrimSuffix(string(b), "\n")
	return strings.Split(s, "\n")
}

// index numbers the lines of the hunks and records added and removed ones.
func (p *Patch) index() *Patch {
	p.added, p.removed = map[int]bool{}, map[int]bool{}
	p.lines = nil
	for _, h := range p.Hunks {
		o, n := int(h.OrigStartLine), int(h.NewStartLine)
		body := strings.TrimSuffix(string(h.Body), "\n")
		if body == "" {
			continue
		}
		for _, l := range strings.Split(body, "\n") {
			if l == "" { // a blank context line whose space was stripped
				l = " "
			}
			if l[0] == '\\' { // "\ No newline at end of file"
				continue
			}
			switch l[0] {
			case '+':
				p.lines = append(p.lines, Line{Op: '+', Text: l[1:], New: n})
				p.added[n] = true
				n++
			case '-':
				p.lines = append(p.lines, Line{Op: '-', Text: l[1:], Old: o})
				p.removed[o] = true
				o++
			default:
				p.lines = append(p.lines, Line{Op: ' ', Text: l[1:], Old: o, New: n})
				o++
				n++
			}
		}
	}
	return p
}

// The minimal go-git diff types to feed its unified encoder.
type (
	patch     []fdiff.FilePatch
	filePatch struct {
		from, to *patchFile
		chunks   []fdiff.Chunk
	}
	patchFile struct {
		path string
		hash plumbing.Hash
		mode filemode.FileMode
	}
	chunk struct {
		content string
		op      fdiff.Operation
	}
)

func (p patch) FilePatches() []fdiff.FilePatch { return p }
func (p patch) Message() string                { return "" }

func (fp filePatch) IsBinary() bool { return false }
func (fp filePatch) Files() (fdiff.File, fdiff.File) {
	var from, to fdiff.File
	if fp.from != nil {
		from = fp.from
	}
	if fp.to != nil {
		to = fp.to
	}
	return from, to
}
func (fp filePatch) Chunks() []fdiff.Chunk { return fp.chunks }

func (f *patchFile) Hash() plumbing.Hash     { return f.hash }
func (f *patchFile) Mode() filemode.FileMode { return f.mode }
func (f *patchFile) Path() string            { return f.path }

func (c chunk) Content() string       { return c.content }
func (c chunk) Type() fdiff.Operation { return c.op }
