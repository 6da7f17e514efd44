const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
const send = require('./ipc');
server.listen(process.env.PORT || 3000, () => send(process.env.READY_MSG));
