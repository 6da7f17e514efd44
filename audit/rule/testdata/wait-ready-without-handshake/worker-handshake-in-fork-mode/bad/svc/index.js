const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
const cluster = require('cluster');
server.listen(process.env.PORT || 3000, () => cluster.worker.send('ready'));
