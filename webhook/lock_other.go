//go:build !unix

package webhook

// lockDir does nothing where flock is not available: run one server per
// data directory.
func lockDir(string) (func(), error) { return func() {}, nil }
