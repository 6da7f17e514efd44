// Keeps about 128 MiB of small JavaScript objects on the V8 heap (a cache
// that grows with traffic), then holds it. Writes "full" to $MARKER.
const fs = require('fs');

const cache = [];
const grow = setInterval(() => {
  for (let i = 0; i < 20000; i++) cache.push({ id: cache.length, payload: 'x'.repeat(16) + i });
  if (process.memoryUsage().heapUsed > 128 * 1024 * 1024) {
    clearInterval(grow);
    fs.appendFileSync(process.env.MARKER, 'full ' + process.memoryUsage().rss + '\n');
  }
}, 10);
setInterval(() => {}, 1000);
