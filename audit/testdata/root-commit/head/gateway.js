require('http').createServer((q, r) => r.end('gw')).listen(3000);
