const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(3000, () => {
  if (process.env.READY_MODE === 'on') {
    process.send('ready');
  }
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
