// Package reporttest holds checks of rendered Markdown that the tests of
// report and of its users (webhook) share. It is for tests only and
// imports nothing of this module.
package reporttest

import (
	"fmt"
	"strings"
)

// TableProblems checks the raw lines of md's tables: every row must have
// as many unescaped pipes as its header (GFM silently drops extra cells,
// so a value that smuggled a pipe into a row shows only here), and every
// fenced code block must be closed. It returns one sentence per problem.
func TableProblems(md string) []string {
	var out []string
	fence := ""
	want := -1
	for _, l := range strings.Split(md, "\n") {
		tl := strings.TrimSpace(l)
		if strings.HasPrefix(tl, "```") {
			run := tl[:len(tl)-len(strings.TrimLeft(tl, "`"))]
			switch {
			case fence == "":
				fence = run
			case len(run) >= len(fence) && strings.Trim(tl, "`") == "":
				fence = ""
			}
			continue
		}
		if fence != "" || !strings.HasPrefix(l, "|") {
			want = -1
			continue
		}
		n := 0
		for i := 0; i < len(l); i++ {
			if l[i] == '|' && (i == 0 || l[i-1] != '\\') {
				n++
			}
		}
		if want < 0 {
			want = n
		} else if n != want {
			out = append(out, fmt.Sprintf("table line has %d unescaped pipes, header has %d: %q", n, want, l))
		}
	}
	if fence != "" {
		out = append(out, "a fenced code block is never closed")
	}
	return out
}
