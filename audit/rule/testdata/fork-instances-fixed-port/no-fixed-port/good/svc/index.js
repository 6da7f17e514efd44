const http = require('http');
http.createServer().listen(process.env.PORT);
