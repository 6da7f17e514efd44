//go:build !unix

package change

import "errors"

// mapFile is not available: packed objects are left to go-git.
func mapFile(path string) (packData, error) {
	return nil, errors.New("memory maps are not supported on this platform")
}
