// Receives SIGINT but never exits: PM2 must SIGKILL it after kill_timeout.
const fs = require('fs');

const mark = (line) => fs.appendFileSync(process.env.MARKER, line + '\n');

process.on('SIGINT', () => {
  mark('SIGINT');
});
setInterval(() => {}, 1000);
mark('ready');
