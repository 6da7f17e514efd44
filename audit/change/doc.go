// Package change is where a change enters auditbot: it reads git.
//
// It opens a repository from any directory inside its work tree (Open),
// resolves a revision range the way git does (Resolve), lists the files the
// range changes without reading their content (Changes), builds and parses
// the unified diff of one file (Hunks) and exposes the tree of one commit as
// a read-only io/fs file system that never follows symbolic links and never
// leaves the repository (Snapshot). Fetch builds an in-memory repository
// holding only the commits an audit needs, for the GitHub App.
//
// Nothing here shells out to git: everything goes through go-git.
package change
