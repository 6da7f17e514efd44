const http = require('http');

// One helper for every message to PM2.
function notify(message) {
  if (process.send) process.send(message);
}

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 4000, () => notify('ready'));

process.on('SIGINT', () => server.close(() => process.exit(0)));
