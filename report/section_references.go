package report

import "strings"

// references fills section 11.
func (b *builder) references() {
	base := strings.TrimRight(b.opt.RepoURL, "/")
	for _, c := range capped(b.doc.Changed, b.lim.list) {
		dest := linkPath(c.Path)
		if base != "" && safeURL(base) != "" {
			sha := b.doc.Head.SHA
			if c.Status == "deleted" {
				sha = b.doc.Base.SHA
			}
			dest = base + "/blob/" + linkPath(sha) + "/" + linkPath(c.Path)
		}
		b.v.RefFiles = append(b.v.RefFiles, refFile{Path: c.Path, Dest: md(dest)})
	}
	for _, d := range b.v.DocHits {
		b.v.Related = appendNew(b.v.Related, d.Path)
	}
}
