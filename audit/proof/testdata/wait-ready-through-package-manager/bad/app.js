// Tells PM2 it is ready once the server listens, and records whether it
// has an IPC channel to send that on (typeof process.send) in $MARKER.
const fs = require('fs');
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  fs.appendFileSync(process.env.MARKER, 'send ' + typeof process.send + '\n');
  if (process.send) process.send('ready');
});
