package change

import (
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/auditbot/auditbot/audit/change/changetest"
)

const subSHA = "1111111111111111111111111111111111111111"

// longText is big enough for similarity-based rename detection to matter.
func longText(tag string) string {
	var b strings.Builder
	for i := range 40 {
		b.WriteString("line ")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString("\n")
	}
	return b.String() + tag + "\n"
}

// changeFixture: one commit of every kind of change against its parent.
func changeFixture(t *testing.T) (*changetest.Fixture, string, string) {
	f := changetest.NewDiskFixture(t)
	base := f.Commit("base", changetest.Tree{
		"a.js":            changetest.Text("one\ntwo\n"),
		"c.txt":           changetest.Text("gone\n"),
		"d.js":            changetest.Text("moved unchanged\n"),
		"big/old.js":      changetest.Text(longText("old")),
		"bin.png":         changetest.Text("\x89PNG\x00\x01"),
		"mode.sh":         changetest.Text("#!/bin/sh\n"),
		"type/changes.js": changetest.Text("file then link\n"),
	})
	head := f.Commit("head", changetest.Tree{
		"a.js":            changetest.Text("one\nTWO\n"),
		"b.js":            changetest.Text("new\n"),
		"e/d.js":          changetest.Text("moved unchanged\n"),
		"big/new.js":      changetest.Text(longText("new")),
		"bin.png":         changetest.Text("\x89PNG\x00\x02"),
		"mode.sh":         {Content: "#!/bin/sh\n", Mode: filemode.Executable},
		"type/changes.js": changetest.Link("../a.js"),
		"evil":            changetest.Link("../../etc/passwd"),
		"vendor/lib":      changetest.Gitlink(subSHA),
	}, base)
	f.Ref("refs/heads/master", head)
	return f, base.String(), head.String()
}

func TestChanges(t *testing.T) {
	f, base, head := changeFixture(t)
	repo := openRepo(t, f)
	r, err := Resolve(t.Context(), repo, base+".."+head)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Changes(t.Context(), repo, r)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		path, old string
		status    Status
		symlink   bool
		submodule bool
	}
	want := []row{
		{"a.js", "a.js", Modified, false, false},
		{"b.js", "", Added, false, false},
		{"big/new.js", "big/old.js", Renamed, false, false},
		{"bin.png", "bin.png", Modified, false, false},
		{"c.txt", "c.txt", Deleted, false, false},
		{"e/d.js", "d.js", Renamed, false, false},
		{"evil", "", Added, true, false},
		{"mode.sh", "mode.sh", Modified, false, false},
		{"type/changes.js", "type/changes.js", Modified, true, false},
		{"vendor/lib", "", Added, false, true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d changes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Path != w.path || g.OldPath != w.old || g.Status != w.status || g.Symlink != w.symlink || g.Submodule != w.submodule {
			t.Errorf("change %d = %+v, want %+v", i, g, w)
		}
	}
	// Modes and hashes are carried through.
	for _, g := range got {
		switch g.Path {
		case "mode.sh":
			if g.OldMode != filemode.Regular || g.NewMode != filemode.Executable || g.OldHash != g.NewHash {
				t.Errorf("mode change = %+v", g)
			}
		case "b.js":
			if !g.OldHash.IsZero() || g.NewHash.IsZero() || g.OldMode != 0 {
				t.Errorf("added file = %+v", g)
			}
		case "vendor/lib":
			if g.NewHash.String() != subSHA || g.NewMode != filemode.Submodule {
				t.Errorf("submodule = %+v", g)
			}
		}
	}

	// A rename with an edit has the hunk of the edit; an exact rename and a
	// mode change have none.
	for _, g := range got {
		p, err := Hunks(t.Context(), repo, g)
		if err != nil {
			t.Fatalf("Hunks(%s): %v", g.Path, err)
		}
		switch g.Path {
		case "big/new.js":
			if l := p.Lines(); len(p.Hunks) != 1 || p.LineOnNew(41) != LineAdded || p.LineOnOld(41) != LineRemoved ||
				l[len(l)-1].Text != "new" {
				t.Errorf("hunks of the edited rename: %+v", p.Lines())
			}
		case "e/d.js", "mode.sh":
			if len(p.Hunks) != 0 {
				t.Errorf("%s: %d hunks, want none", g.Path, len(p.Hunks))
			}
		}
	}

	// git agrees on names and statuses (-M50% is git's default).
	gitOut := changetest.Git(t, f.Dir(), "diff", "--name-status", "-M", base, head)
	var gitRows, ourRows []string
	for _, l := range strings.Split(strings.TrimSpace(gitOut), "\n") {
		fields := strings.Split(l, "\t")
		st := fields[0][:1]
		if st == "T" { // git's typechange is our modified
			st = "M"
		}
		gitRows = append(gitRows, st+" "+strings.Join(fields[1:], " "))
	}
	for _, g := range got {
		switch g.Status {
		case Renamed:
			ourRows = append(ourRows, "R "+g.OldPath+" "+g.Path)
		default:
			ourRows = append(ourRows, strings.ToUpper(string(g.Status[:1]))+" "+g.Path)
		}
	}
	sort.Strings(gitRows)
	sort.Strings(ourRows)
	if strings.Join(gitRows, "\n") != strings.Join(ourRows, "\n") {
		t.Errorf("git diff --name-status disagrees:\ngit:\n%s\nours:\n%s", strings.Join(gitRows, "\n"), strings.Join(ourRows, "\n"))
	}
}

// ExactRenamesOnly reads no blob: an edited rename becomes delete + add.
func TestChangesExactRenamesOnly(t *testing.T) {
	f, base, head := changeFixture(t)
	repo := openRepo(t, f)
	r, err := Resolve(t.Context(), repo, base+".."+head)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Changes(t.Context(), repo, r, ExactRenamesOnly())
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]Status{}
	for _, g := range got {
		statuses[g.Path] = g.Status
	}
	if statuses["big/new.js"] != Added || statuses["big/old.js"] != Deleted || statuses["e/d.js"] != Renamed {
		t.Errorf("statuses = %v", statuses)
	}
}

func TestChangesRootCommitAgainstEmptyTree(t *testing.T) {
	f := changetest.NewDiskFixture(t)
	c := f.Commit("root", changetest.Tree{"z.js": changetest.Text("z\n"), "a/b.js": changetest.Text("b\n")})
	f.Ref("refs/heads/master", c)
	repo := openRepo(t, f)
	r, err := Resolve(t.Context(), repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Changes(t.Context(), repo, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Path != "a/b.js" || got[1].Path != "z.js" || got[0].Status != Added || got[1].Status != Added {
		t.Errorf("changes = %+v, want a/b.js and z.js added", got)
	}
}

func TestChangesCanceled(t *testing.T) {
	f, base, head := changeFixture(t)
	repo := openRepo(t, f)
	r, err := Resolve(t.Context(), repo, base+".."+head)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := contextWithCancel(t)
	cancel()
	if _, err := Changes(ctx, repo, r); err == nil {
		t.Fatal("Changes on a canceled context succeeded")
	}
}
