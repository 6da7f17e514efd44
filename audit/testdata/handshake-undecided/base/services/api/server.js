const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 4000, () => {
  process.send && process.send('ready');
});

process.on('SIGINT', () => server.close(() => process.exit(0)));
