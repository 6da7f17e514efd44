// Records in $MARKER the node flags it runs with, then holds 200 MiB of
// filled Buffers (off the V8 heap, in RSS) and records its RSS. The flags
// come first: started directly, PM2's memory check may restart the app as
// soon as it passes the limit, before it could write anything more.
const fs = require('fs');

fs.appendFileSync(process.env.MARKER, 'app ' + JSON.stringify(process.execArgv) + '\n');
const keep = [];
for (let i = 0; i < 20; i++) keep.push(Buffer.alloc(10 * 1024 * 1024, i + 1));
fs.appendFileSync(process.env.MARKER, 'rss ' + process.memoryUsage().rss + '\n');
setInterval(() => { keep[0][0]++; }, 1000);
