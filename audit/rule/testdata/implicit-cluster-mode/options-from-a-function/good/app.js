const http = require('http');

const PORT = process.env.PORT || 3000;
const server = http.createServer((req, res) => res.end('ok'));
server.listen(PORT);
process.on('SIGINT', () => server.close(() => process.exit(0)));
