// Listens but never tells PM2 it is ready.
const http = require('http');

http.createServer((req, res) => res.end('ok')).listen(process.env.PORT || 0);
