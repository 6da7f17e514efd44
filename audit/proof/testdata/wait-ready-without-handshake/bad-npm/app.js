// Sends the handshake when it listens, but runs as npm's child process,
// where process.send is undefined: the message never reaches PM2.
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  if (process.send) process.send('ready');
});
