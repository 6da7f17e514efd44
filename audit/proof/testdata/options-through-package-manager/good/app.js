// Holds 200 MiB of Buffers (off the V8 heap, in RSS) and records in
// $MARKER the node flags it runs with and its RSS.
const crypto = require('crypto');
const fs = require('fs');

const keep = [];
for (let i = 0; i < 20; i++) keep.push(crypto.randomBytes(10 * 1024 * 1024));
fs.appendFileSync(process.env.MARKER, 'app ' + JSON.stringify(process.execArgv) + ' ' + process.memoryUsage().rss + '\n');
setInterval(() => { keep[0][0]++; }, 1000);
