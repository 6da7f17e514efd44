const http = require('http');

const PORT = process.env.PORT || 3000;
const server = http.createServer((req, res) => res.end('ok'));
server.listen(PORT, () => {
  if (process.send) process.send('ready');
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
