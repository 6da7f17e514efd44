// process.send needs process as `this`: called unbound it throws a
// TypeError before sending anything.
const http = require('http');
const { send } = process;

const server = http.createServer((req, res) => res.end('ok'));
server.listen(process.env.PORT || 0, () => {
  try {
    send('ready');
  } catch (err) {
    console.error('could not tell PM2:', err.message);
  }
});
