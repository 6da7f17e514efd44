//go:build unix

package change

import (
	"errors"
	"io"
	"os"
	"runtime"
	"syscall"
)

// mappedFile is a read-only memory map of a whole file, unmapped once the
// last reference to it is gone. No slice of the mapping outlives the
// objectReader calls that made it: object contents are always copied out.
type mappedFile struct{ b []byte }

func (m *mappedFile) mapped() []byte { return m.b }

func (m *mappedFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(m.b)) {
		return 0, io.EOF
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// mapFile maps path read-only; the descriptor is closed at once.
func mapFile(path string) (packData, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 || int64(int(st.Size())) != st.Size() {
		return nil, errors.New("cannot map " + path)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	m := &mappedFile{b: b}
	runtime.AddCleanup(m, func(b []byte) { _ = syscall.Munmap(b) }, b)
	return m, nil
}
