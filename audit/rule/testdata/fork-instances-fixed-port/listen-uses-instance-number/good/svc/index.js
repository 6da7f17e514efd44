const http = require('http');
const PORT = process.env.PORT || 3001;
const server = http.createServer();
server.listen(PORT + Number(process.env.NODE_APP_INSTANCE));
