package report

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/auditbot/auditbot/audit"
)

// excerptKinds are the evidence kinds whose lines make up the code
// excerpt of section 2: the server's listen() call, the ready handshake
// (and cluster.worker.send('ready'), and process.send with a message
// decided at run time), the stop handlers and the server close.
var excerptKinds = map[string]bool{
	evListen: true, evHandshake: true, evSignal: true, evShutdownMsg: true, evClose: true,
	evWorker: true, evPossible: true,
}

// excerptLines caps the lines of one file's excerpt.
const excerptLines = 12

// excerpts builds one excerpt per source file of a service from the lines
// its scan found. The Document keeps each evidence line's text but not the
// lines around it, so the excerpt shows exactly those lines, each run of
// consecutive lines labelled with path:line and the gaps marked.
func excerpts(svc *audit.Service, maxLines int) []codeExcerpt {
	byPath := map[string]map[int]string{}
	for _, e := range svc.Evidence {
		if !excerptKinds[e.Kind] || e.Context != ctxCode || e.Line <= 0 || strings.TrimSpace(e.Text) == "" {
			continue
		}
		if byPath[e.Path] == nil {
			byPath[e.Path] = map[int]string{}
		}
		byPath[e.Path][e.Line] = e.Text
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]codeExcerpt, 0, len(paths))
	for _, p := range paths {
		lines := make([]int, 0, len(byPath[p]))
		for l := range byPath[p] {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		ex := codeExcerpt{Path: p, Lang: sourceLang(p)}
		if len(lines) > maxLines {
			ex.More = len(lines) - maxLines
			lines = lines[:maxLines]
		}
		ex.Lines = lineRanges(lines)
		comment := "//"
		if ex.Lang == "" {
			comment = "#"
		}
		label := oneLine(p)
		var sb strings.Builder
		for i, l := range lines {
			if i == 0 || l != lines[i-1]+1 {
				if i > 0 {
					sb.WriteString(comment + " …\n")
				}
				end := l
				for j := i + 1; j < len(lines) && lines[j] == end+1; j++ {
					end = lines[j]
				}
				sb.WriteString(comment + " " + label + ":" + strconv.Itoa(l))
				if end != l {
					sb.WriteString("-" + strconv.Itoa(end))
				}
				sb.WriteString("\n")
			}
			sb.WriteString(oneLine(byPath[p][l]) + "\n")
		}
		ex.Code = sb.String()
		out = append(out, ex)
	}
	return out
}

// sourceLang is the fence language of a source file the scanner reads;
// empty (and # comments) for anything else.
func sourceLang(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".js", ".cjs", ".mjs", ".jsx":
		return "javascript"
	case ".ts", ".cts", ".mts", ".tsx":
		return "typescript"
	}
	return ""
}
