package change_test

import (
	"context"
	"fmt"
	"log"

	"github.com/auditbot/auditbot/audit/change"
)

// The CLI: open the repository around the current directory, resolve the
// range, list the changed files and their hunks, read the head tree.
func Example() {
	ctx := context.Background()
	repo, root, err := change.Open(ctx, ".")
	if err != nil {
		log.Fatal(err) // exit 2: "not a git repository: ."
	}
	r, err := change.Resolve(ctx, repo, "HEAD~1..HEAD")
	if err != nil {
		log.Fatal(err) // errors.Is(err, change.ErrUnknownRevision): exit 2
	}
	files, err := change.Changes(ctx, repo, r)
	if err != nil {
		log.Fatal(err)
	}
	head, err := change.NewSnapshot(repo, r.Head)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		p, err := change.Hunks(ctx, repo, f)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(root, f.Status, f.Path, len(p.Hunks))
	}
	_ = head // an fs.FS: fs.ReadFile(head, "ecosystem.config.js")
}

// The GitHub App: fetch only the two commits of a pull request (base = the
// merge base given by the compare API, head = the PR head), depth 1, in
// memory; then audit base..head as the CLI does.
func ExampleFetch() {
	ctx := context.Background()
	base, head := "0123456789abcdef0123456789abcdef01234567", "89abcdef0123456789abcdef0123456789abcdef"
	repo, err := change.Fetch(ctx, "https://github.com/acme/api.git", nil, base, head)
	if err != nil {
		log.Fatal(err)
	}
	r, err := change.Resolve(ctx, repo, base+".."+head)
	if err != nil {
		log.Fatal(err)
	}
	_ = r
}
