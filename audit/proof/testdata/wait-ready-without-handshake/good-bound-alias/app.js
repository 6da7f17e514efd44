// A bound alias of process.send sends the message.
const http = require('http');
const send = process.send.bind(process);

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  send('ready');
});
