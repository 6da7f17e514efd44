// In fork mode the app is no cluster worker: cluster.worker is undefined,
// so nothing is sent.
const cluster = require('cluster');
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  cluster.worker?.send('ready');
});
