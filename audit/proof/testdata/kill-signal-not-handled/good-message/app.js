// With shutdown_with_message, PM2 sends the string 'shutdown' over IPC.
// Appends what it receives to $MARKER.
const fs = require('fs');

const mark = (line) => fs.appendFileSync(process.env.MARKER, line + '\n');

process.on('message', (msg) => {
  if (msg === 'shutdown') {
    mark('shutdown');
    process.exit(0);
  }
});
process.on('SIGINT', () => {
  mark('SIGINT');
  process.exit(0);
});
setInterval(() => {}, 1000);
mark('ready');
