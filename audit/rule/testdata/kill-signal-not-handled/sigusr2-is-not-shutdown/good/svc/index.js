const http = require('http');
require('./log');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 3000);
