package report

import (
	"path"
	"strings"
)

// references fills section 11: the changed files and the related
// documents, linked absolutely (repository URL + commit) in a pull request
// comment, relatively (from the report's own directory) in a file.
func (b *builder) references() {
	b.v.Links = map[string]md{}
	for _, c := range capped(b.doc.Changed, b.lim.list) {
		sha := b.doc.Head.SHA
		if c.Status == "deleted" {
			sha = b.doc.Base.SHA
		}
		b.v.RefFiles = append(b.v.RefFiles, refFile{Path: c.Path, Dest: b.fileLink(c.Path, sha)})
		b.v.Links[c.Path] = b.fileLink(c.Path, sha)
	}
	seen := map[string]bool{}
	for i, d := range b.v.DocHits {
		b.v.DocHits[i].Dest = b.fileLink(d.Path, b.doc.Head.SHA)
		if !seen[d.Path] {
			seen[d.Path] = true
			b.v.Related = append(b.v.Related, refFile{Path: d.Path, Dest: b.fileLink(d.Path, b.doc.Head.SHA)})
		}
	}
}

// fileLink is the link destination of a repository file at a commit:
// absolute with Options.RepoURL, else relative to Options.Dir (the
// repository directory the report is written to; the root when empty).
func (b *builder) fileLink(p, sha string) md {
	if base := strings.TrimRight(b.opt.RepoURL, "/"); base != "" && safeURL(base) != "" {
		return md(base + "/blob/" + linkPath(sha) + "/" + linkPath(p))
	}
	dir := path.Clean("/" + b.opt.Dir)
	rel := p
	if dir != "/" {
		up := strings.Count(strings.TrimPrefix(dir, "/"), "/") + 1
		rel = strings.Repeat("../", up) + p
	}
	return md(linkPath(rel))
}
