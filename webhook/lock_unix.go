//go:build unix

package webhook

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes an exclusive lock on dir for this process (flock on
// dir/auditbot.lock): one server per SQLite database. The lock goes with
// the process, however it ends.
func lockDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, "auditbot.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close() //nolint:errcheck
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s is in use by another auditbot server (for replicas, use --database-url)", dir)
		}
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	return func() { f.Close() }, nil //nolint:errcheck // closing drops the lock
}
