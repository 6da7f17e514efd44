const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 4000, () => {
  // Ready: the server is listening. process.send('ready') was removed.
  console.log('listening');
});

process.on('SIGINT', () => server.close(() => process.exit(0)));
