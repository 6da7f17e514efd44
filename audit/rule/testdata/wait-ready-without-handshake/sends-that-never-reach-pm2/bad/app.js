const cluster = require('cluster');
const http = require('http');

const { send } = process;
const server = http.createServer((req, res) => res.end('ok'));
server.listen(3000, () => {
  send('ready');
  cluster.worker.send('ready');
  if (process.env.MODE === 'web') {
    process.send('ready');
  }
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
