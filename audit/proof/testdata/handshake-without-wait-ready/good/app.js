// Warms up for 1.5 s after listening, then tells PM2 it is ready. It
// appends "ready-sent <ms since epoch>" to $MARKER when it does.
const fs = require('fs');
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  setTimeout(() => {
    if (process.env.MARKER) fs.appendFileSync(process.env.MARKER, `ready-sent ${Date.now()}\n`);
    if (process.send) process.send('ready');
  }, 1500);
});
