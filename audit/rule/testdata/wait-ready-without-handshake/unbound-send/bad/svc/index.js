const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
const send = process.send;
server.listen(process.env.PORT || 3000, () => send('ready'));
