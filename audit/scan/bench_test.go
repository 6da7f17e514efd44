package scan

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// serviceFile is a realistic server entry point with evidence of most kinds.
const serviceFile = `'use strict';
const express = require('express');
const app = express();
const PORT = process.env.PORT || 3001; // see wait_ready in ecosystem.config.js

app.get('/health', (req, res) => res.json({ ok: true }));
app.post('/api/items', async (req, res) => { res.status(201).send(await save(req.body)) });

const server = app.listen(PORT, () => {
  console.log("listening on " + PORT + " process.send('ready') next");
  if (process.send) process.send('ready');
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
process.on('message', (msg) => { if (msg === 'shutdown') server.close(); });
`

// plainFile is a module that mentions none of the anchors.
const plainFile = `import { z } from 'zod';
export const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()) });
export function normalize(items) {
  return items.map((item) => ({ ...item, name: item.name.trim() })).filter(Boolean);
}
/* A block comment that talks about nothing in particular. */
export default normalize;
`

func BenchmarkFile(b *testing.B) {
	src := []byte(strings.Repeat(serviceFile, 20))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var s fileScanner
	for b.Loop() {
		s.file("a.js", src, false)
	}
}

// BenchmarkFilePathological: deeply nested, never-closed calls must stay
// near linear.
func BenchmarkFilePathological(b *testing.B) {
	src := []byte(strings.Repeat("process.on('message', (m) => process.send({ a: x.listen(", 20000))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		File("a.js", src)
	}
}

// BenchmarkService scans a generated service of 3,000 JavaScript files of
// which 1 in 50 mentions process, plus node_modules that must be skipped.
func BenchmarkService(b *testing.B) {
	fsys := fstest.MapFS{}
	size := 0
	for i := range 3000 {
		body := plainFile
		if i%50 == 0 {
			body = serviceFile
		}
		fsys[fmt.Sprintf("svc/src/m%02d/f%04d.js", i%40, i)] = &fstest.MapFile{Data: []byte(body)}
		fsys[fmt.Sprintf("svc/node_modules/p%02d/f%04d.js", i%40, i)] = &fstest.MapFile{Data: []byte(body)}
		size += len(body)
	}
	fsys["svc/README.md"] = &fstest.MapFile{Data: []byte("Start with pm2; wait_ready is set.\n")}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Service(context.Background(), fsys, "svc", Options{})
		if err != nil || res.Files != 3000 {
			b.Fatal(res, err)
		}
	}
}

// testFile is a typical integration test: it starts the server, closes
// it, and reads process.env, as most test suites do.
const testFile = `const request = require('supertest');
const { app, server } = require('../src/index');

describe('GET /health', () => {
  beforeAll(() => { process.env.PORT = '0'; });
  afterAll((done) => { server.close(done); });
  it('answers ok', async () => {
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'ready' });
  });
});
`

// BenchmarkServiceWithTests is BenchmarkService plus 1,500 test files
// (test/, __tests__/, *.test.js, *.spec.ts) that mention process, close
// and ready, as real test suites do.
func BenchmarkServiceWithTests(b *testing.B) {
	fsys := fstest.MapFS{}
	size := 0
	for i := range 3000 {
		body := plainFile
		if i%50 == 0 {
			body = serviceFile
		}
		fsys[fmt.Sprintf("svc/src/m%02d/f%04d.js", i%40, i)] = &fstest.MapFile{Data: []byte(body)}
		size += len(body)
	}
	for i := range 500 {
		fsys[fmt.Sprintf("svc/test/t%04d.test.js", i)] = &fstest.MapFile{Data: []byte(testFile)}
		fsys[fmt.Sprintf("svc/src/m%02d/__tests__/f%04d.js", i%40, i)] = &fstest.MapFile{Data: []byte(testFile)}
		fsys[fmt.Sprintf("svc/src/m%02d/f%04d.spec.ts", i%40, i)] = &fstest.MapFile{Data: []byte(testFile)}
		size += 3 * len(testFile)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Service(context.Background(), fsys, "svc", Options{})
		if err != nil || res.Files != 4500 {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkFileNoMatch measures the prefilter on a file that mentions
// none of the anchors (the common case).
func BenchmarkFileNoMatch(b *testing.B) {
	src := []byte(strings.Repeat(plainFile, 40))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if File("a.js", src) != nil {
			b.Fatal("plainFile must not match")
		}
	}
}
