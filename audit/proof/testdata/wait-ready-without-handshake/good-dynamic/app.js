// The message is decided at run time; here it is 'ready', which is why
// auditbot does not claim the handshake is missing.
const http = require('http');
const message = process.env.READY_MESSAGE || 'ready';

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  if (process.send) process.send(message);
});
