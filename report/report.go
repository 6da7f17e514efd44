// Package report writes an audit.Document for people and tools: the
// canonization document in Markdown (Spanish by default, English on
// request), a terse text format, the JSON document itself and SARIF 2.1.0.
//
// Every text of the Markdown lives in templates/<lang>/: the section
// templates (*.md.tmpl, text/template) and a phrase catalog
// (catalog.yaml). Values from the audited repository reach the Markdown
// only through the escaping helpers of safe.go. Output is deterministic:
// the same Document and Options give byte-identical output.
package report

import (
	"fmt"
	"time"
)

// Options control the Markdown and text reports.
type Options struct {
	// Lang is "es" (the default when empty) or "en".
	Lang string
	// Now is the document's date (injectable for reproducible output);
	// the zero time is written as such, never replaced by the clock.
	Now time.Time
	// Version is the tool version for the footer; the Document's when
	// empty.
	Version string
	// MaxBytes bounds the Markdown output in bytes; 0 means no limit. The
	// GitHub App passes 65536 (the size limit of a comment).
	MaxBytes int
	// RepoURL, when set (https://github.com/owner/repo), makes file links
	// absolute, pinned to the head (or base, for deleted files) commit.
	RepoURL string
	// Dir is the repository directory the Markdown file is written to
	// (docs/audits): without RepoURL, file links are relative to it.
	// Empty means the repository's root.
	Dir string
	// Comment renders the report for a pull request comment (with
	// RepoURL), every section within the comment's budget: what the pull
	// request itself shows becomes a link (the diff instead of each
	// file's before and after; the whole file beside the final
	// configuration, which shows the apps the change touches), and each
	// thing is said once (the checklist points to the procedure's steps,
	// a fixed finding is said by its before and after).
	Comment bool
}

func (o Options) normalize() (Options, error) {
	if o.Lang == "" {
		o.Lang = languages[0]
	}
	for _, l := range languages {
		if o.Lang == l {
			if o.MaxBytes < 0 {
				return o, fmt.Errorf("report: negative MaxBytes %d", o.MaxBytes)
			}
			return o, nil
		}
	}
	return o, fmt.Errorf("report: unsupported language %q (want es or en)", o.Lang)
}
