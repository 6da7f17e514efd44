package reporttest

import (
	"strings"
	"testing"
)

func TestTableProblems(t *testing.T) {
	for _, c := range []struct {
		name, md, want string // want: a part of the only problem, "" for none
	}{
		{"well-formed", "| a | b |\n|---|---|\n| 1 | 2 \\| 3 |\n", ""},
		{"smuggled pipe", "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", "4 unescaped pipes, header has 3"},
		{"pipe inside a fence", "```\n| a |\n| b | c |\n```\n", ""},
		{"unclosed fence", "````\n```\n", "never closed"},
	} {
		got := TableProblems(c.md)
		switch {
		case c.want == "" && len(got) != 0:
			t.Errorf("%s: got %q, want none", c.name, got)
		case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
			t.Errorf("%s: got %q, want one containing %q", c.name, got, c.want)
		}
	}
}
