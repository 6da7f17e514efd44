package scan

import (
	"crypto/sha256"
	"io/fs"
	"reflect"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// keyedFS is a MapFS whose directory entries carry a content key, like
// change.Snapshot's, and which counts the files opened.
type keyedFS struct {
	fstest.MapFS
	opened *atomic.Int64
}

type keyedEntry struct {
	fs.DirEntry
	key string
}

func (e keyedEntry) ContentKey() string { return e.key }

func (k keyedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := k.MapFS.ReadDir(name)
	if err != nil {
		return nil, err
	}
	for i, e := range es {
		if f, ok := k.MapFS[name+"/"+e.Name()]; ok && !e.IsDir() {
			sum := sha256.Sum256(f.Data)
			es[i] = keyedEntry{DirEntry: e, key: string(sum[:])}
		}
	}
	return es, nil
}

func (k keyedFS) Open(name string) (fs.File, error) {
	if f, ok := k.MapFS[name]; ok && f.Mode.IsRegular() {
		k.opened.Add(1)
	}
	return k.MapFS.Open(name)
}

// TestCacheReusesUnchangedFiles: a second scan with the same Cache reads
// only the files whose content changed, and finds exactly what a scan
// without the cache finds.
func TestCacheReusesUnchangedFiles(t *testing.T) {
	base := fstest.MapFS{
		"svc/index.js":  {Data: []byte("process.on('SIGTERM', stop);\nprocess.send('ready');\n")},
		"svc/lib/a.js":  {Data: []byte("server.listen(PORT);\n")},
		"svc/lib/b.js":  {Data: []byte("module.exports = 1;\n")},
		"svc/README.md": {Data: []byte("Uses wait_ready.\n")},
	}
	head := fstest.MapFS{}
	for p, f := range base {
		head[p] = f
	}
	head["svc/index.js"] = &fstest.MapFile{Data: []byte("process.on('SIGINT', stop);\n")}

	var opened atomic.Int64
	cache := NewCache()
	for _, tc := range []struct {
		name  string
		fsys  fstest.MapFS
		opens int64
	}{
		{"head, cold cache", head, 4},
		{"base, three files unchanged", base, 1},
		{"head again", head, 0},
	} {
		opened.Store(0)
		got, err := Service(t.Context(), keyedFS{tc.fsys, &opened}, "svc", Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		want, err := Service(t.Context(), tc.fsys, "svc", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: with cache %+v, without %+v", tc.name, got, want)
		}
		if n := opened.Load(); n != tc.opens {
			t.Errorf("%s: %d files opened, want %d", tc.name, n, tc.opens)
		}
	}
}

// TestCacheTestClassification: one file is a test seen from its service
// root and code seen from its own directory; a shared Cache must not hand
// one scan's classification to the other.
func TestCacheTestClassification(t *testing.T) {
	fsys := fstest.MapFS{"svc/test/app/index.js": {Data: []byte("process.send('ready');\n")}}
	var opened atomic.Int64
	cache := NewCache()
	for _, c := range []struct {
		dir  string
		want Context
	}{{"svc", InTest}, {"svc/test/app", InCode}, {"svc", InTest}} {
		res, err := Service(t.Context(), keyedFS{fsys, &opened}, c.dir, Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Evidence) != 1 || res.Evidence[0].Context != c.want {
			t.Errorf("dir %s: evidence %+v, want one handshake in context %s", c.dir, res.Evidence, c.want)
		}
	}
}
