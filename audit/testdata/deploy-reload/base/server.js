const http = require('http');

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.statusCode = 404;
  res.end();
});

server.listen(process.env.PORT || 8080);

process.on('SIGINT', () => server.close(() => process.exit(0)));
