const http = require('http');
const PORT = process.env.PORT || 3001;
const server = http.createServer((req, res) => res.end('ok'));
server.listen(PORT);
