package change

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sourcegraph/go-diff/diff"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

func numbered(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(f(i))
		b.WriteString("\n")
	}
	return b.String()
}

func plain(i int) string { return fmt.Sprintf("line %d", i) }

// jsFile has "function" lines git uses as hunk sections.
func jsFile(edit map[int]string) string {
	return numbered(40, func(i int) string {
		if s, ok := edit[i]; ok {
			return s
		}
		if i%10 == 1 {
			return fmt.Sprintf("function f%d() {", i)
		}
		return fmt.Sprintf("  stmt(%d);", i)
	})
}

// hunkCases are real edits; each is diffed by Hunks and by git diff -U3.
var hunkCases = []struct {
	name     string
	old, new *string
}{
	{"change in the middle", ptr(numbered(20, plain)), ptr(strings.Replace(numbered(20, plain), "line 10\n", "line ten\n", 1))},
	{"insert at start", ptr(numbered(10, plain)), ptr("new a\nnew b\n" + numbered(10, plain))},
	{"delete at end", ptr(numbered(10, plain)), ptr(numbered(7, plain))},
	{"new file loses final newline", ptr("a\nb\nc\n"), ptr("a\nb\nC")},
	{"old file had no final newline", ptr("a\nb\nc"), ptr("a\nb\nc\nd\n")},
	{"two distant hunks", ptr(numbered(60, plain)), ptr(strings.NewReplacer("line 5\n", "five\n", "line 50\n", "fifty\n").Replace(numbered(60, plain)))},
	{"close edits merge into one hunk", ptr(numbered(30, plain)), ptr(strings.NewReplacer("line 10\n", "ten\n", "line 15\n", "fifteen\n").Replace(numbered(30, plain)))},
	{"sections from function lines", ptr(jsFile(nil)), ptr(jsFile(map[int]string{15: "  changed();", 35: "  other();"}))},
	{"added file", nil, ptr("x\ny\n")},
	{"deleted file", ptr("x\ny\nz\n"), nil},
	{"replace block", ptr(numbered(12, plain)), ptr(strings.Replace(numbered(12, plain), "line 4\nline 5\nline 6\n", "four\nfive\n", 1))},
}

func ptr(s string) *string { return &s }

func TestHunksMatchGitDiff(t *testing.T) {
	for _, tt := range hunkCases {
		t.Run(tt.name, func(t *testing.T) {
			f := changetest.NewDiskFixture(t)
			baseFiles, headFiles := changetest.Tree{"keep": changetest.Text("k\n")}, changetest.Tree{"keep": changetest.Text("k\n")}
			if tt.old != nil {
				baseFiles["f.js"] = changetest.Text(*tt.old)
			}
			if tt.new != nil {
				headFiles["f.js"] = changetest.Text(*tt.new)
			}
			base := f.Commit("base", baseFiles)
			head := f.Commit("head", headFiles, base)
			repo := openRepo(t, f)
			r, err := Resolve(t.Context(), repo, base.String()+".."+head.String())
			if err != nil {
				t.Fatal(err)
			}
			changes, err := Changes(t.Context(), repo, r)
			if err != nil || len(changes) != 1 {
				t.Fatalf("changes = %+v, %v", changes, err)
			}
			p, err := Hunks(t.Context(), repo, changes[0])
			if err != nil {
				t.Fatal(err)
			}
			out := changetest.Git(t, f.Dir(), "diff", "-U3", "--no-color", "--no-ext-diff", base.String(), head.String(), "--", "f.js")
			want, err := diff.ParseFileDiff([]byte(out))
			if err != nil {
				t.Fatalf("parse git diff: %v\n%s", err, out)
			}
			if len(p.Hunks) != len(want.Hunks) {
				t.Fatalf("%d hunks, git has %d\ngit:\n%s", len(p.Hunks), len(want.Hunks), out)
			}
			for i, g := range p.Hunks {
				w := want.Hunks[i]
				if g.OrigStartLine != w.OrigStartLine || g.OrigLines != w.OrigLines ||
					g.NewStartLine != w.NewStartLine || g.NewLines != w.NewLines {
					t.Errorf("hunk %d: -%d,%d +%d,%d; git -%d,%d +%d,%d", i,
						g.OrigStartLine, g.OrigLines, g.NewStartLine, g.NewLines,
						w.OrigStartLine, w.OrigLines, w.NewStartLine, w.NewLines)
				}
				if string(g.Body) != string(w.Body) {
					t.Errorf("hunk %d body:\n%s\ngit:\n%s", i, g.Body, w.Body)
				}
				if g.Section != w.Section {
					t.Errorf("hunk %d section %q, git %q", i, g.Section, w.Section)
				}
			}
			checkLineNumbers(t, p, deref(tt.old), deref(tt.new))
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkLineNumbers: every line of the patch is the line of that number in
// the file version(s) it belongs to, and LineOnNew/LineOnOld agree.
func checkLineNumbers(t *testing.T, p *Patch, old, cur string) {
	t.Helper()
	oldLines, newLines := splitText([]byte(old)), splitText([]byte(cur))
	at := func(ls []string, n int) string {
		if n < 1 || n > len(ls) {
			return fmt.Sprintf("<no line %d>", n)
		}
		return ls[n-1]
	}
	if len(p.Lines()) == 0 {
		t.Fatal("no lines")
	}
	for _, l := range p.Lines() {
		switch l.Op {
		case '+':
			if l.Old != 0 || at(newLines, l.New) != l.Text || p.LineOnNew(l.New) != LineAdded {
				t.Errorf("+ line %+v: new file has %q, state %s", l, at(newLines, l.New), p.LineOnNew(l.New))
			}
		case '-':
			if l.New != 0 || at(oldLines, l.Old) != l.Text || p.LineOnOld(l.Old) != LineRemoved {
				t.Errorf("- line %+v: old file has %q, state %s", l, at(oldLines, l.Old), p.LineOnOld(l.Old))
			}
		case ' ':
			if at(oldLines, l.Old) != l.Text || at(newLines, l.New) != l.Text ||
				p.LineOnNew(l.New) != LineContext || p.LineOnOld(l.Old) != LineContext {
				t.Errorf("context line %+v: old %q new %q", l, at(oldLines, l.Old), at(newLines, l.New))
			}
		default:
			t.Errorf("line op %q", l.Op)
		}
	}
}

func TestLineStates(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	old := numbered(20, plain)
	cur := strings.Replace(old, "line 10\n", "line ten\nline ten bis\n", 1)
	base := f.Commit("base", changetest.Tree{"f.js": changetest.Text(old)})
	head := f.Commit("head", changetest.Tree{"f.js": changetest.Text(cur)}, base)
	repo := openRepo(t, f)
	p, err := Hunks(t.Context(), repo, File{Path: "f.js", OldPath: "f.js", Status: Modified,
		OldHash: blobHash(t, f, base, "f.js"), NewHash: blobHash(t, f, head, "f.js"), OldMode: 0o100644, NewMode: 0o100644})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		n        int
		onNew    LineState
		onOld    LineState
		describe string
	}{
		{1, LineContext, LineContext, "far above the hunk"},
		{9, LineContext, LineContext, "context inside the hunk"},
		{10, LineAdded, LineRemoved, "the edited line"},
		{11, LineAdded, LineContext, "the inserted line (old 11 is untouched)"},
		{12, LineContext, LineContext, "context after"},
		{100, LineContext, LineContext, "beyond the file"},
	} {
		if got := p.LineOnNew(tt.n); got != tt.onNew {
			t.Errorf("LineOnNew(%d) (%s) = %s, want %s", tt.n, tt.describe, got, tt.onNew)
		}
		if got := p.LineOnOld(tt.n); got != tt.onOld {
			t.Errorf("LineOnOld(%d) (%s) = %s, want %s", tt.n, tt.describe, got, tt.onOld)
		}
	}
}

func blobHash(t *testing.T, f *changetest.Fixture, commit interface{ String() string }, path string) (h [20]byte) {
	t.Helper()
	c, err := f.Repo().CommitObject([20]byte(mustHash(commit.String())))
	if err != nil {
		t.Fatal(err)
	}
	file, err := c.File(path)
	if err != nil {
		t.Fatal(err)
	}
	return file.Hash
}

func TestHunksBinaryTooLargeSubmodule(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	big := strings.Repeat("a\n", MaxBlobSize/2+1)
	base := f.Commit("base", changetest.Tree{
		"bin":  changetest.Text("abc\x00def"),
		"big":  changetest.Text("small\n"),
		"late": changetest.Text(strings.Repeat("x", 9000) + "\n"),
	})
	head := f.Commit("head", changetest.Tree{
		"bin":  changetest.Text("abc\x00xyz"),
		"big":  changetest.Text(big),
		"late": changetest.Text(strings.Repeat("x", 9000) + "\x00\n"), // NUL past 8000 bytes: text for git
		"sub":  changetest.Gitlink(subSHA),
	}, base)
	repo := openRepo(t, f)
	r, err := Resolve(t.Context(), repo, base.String()+".."+head.String())
	if err != nil {
		t.Fatal(err)
	}
	changes, err := Changes(t.Context(), repo, r)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Patch{}
	for _, c := range changes {
		p, err := Hunks(t.Context(), repo, c)
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		got[c.Path] = p
	}
	if p := got["bin"]; !p.Binary || len(p.Hunks) != 0 {
		t.Errorf("bin: %+v, want binary without hunks", p)
	}
	if p := got["big"]; !p.TooLarge || len(p.Hunks) != 0 {
		t.Errorf("big: %+v, want too large without hunks", p)
	}
	if p := got["late"]; p.Binary || len(p.Hunks) != 1 {
		t.Errorf("late: %+v, want a text diff (NUL past 8000 bytes)", p)
	}
	if p := got["sub"]; p.Binary || p.TooLarge || len(p.Hunks) != 0 {
		t.Errorf("sub: %+v, want an empty patch", p)
	}
}
