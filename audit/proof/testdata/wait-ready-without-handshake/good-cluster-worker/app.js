// In cluster mode PM2 runs the app as a cluster worker, where
// cluster.worker.send is process.send: PM2 gets the 'ready'.
const cluster = require('cluster');
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  cluster.worker.send('ready');
});
