const cluster = require('cluster');
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(3000, () => {
  cluster.worker.send('ready');
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
