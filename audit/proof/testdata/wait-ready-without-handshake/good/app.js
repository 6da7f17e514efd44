// Tells PM2 it is ready once the server listens.
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  if (process.send) process.send('ready');
});
