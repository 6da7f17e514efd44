// Sends objects, not the string 'ready': PM2 accepts only the string.
const http = require('http');

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  if (process.send) {
    process.send({ type: 'ready' });
    process.send({ type: 'process:msg', data: 'ready' });
  }
});
