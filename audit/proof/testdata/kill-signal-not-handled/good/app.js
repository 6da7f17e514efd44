// Cleans up on SIGINT, the signal PM2 sends. Appends what it receives to
// $MARKER.
const fs = require('fs');

const mark = (line) => fs.appendFileSync(process.env.MARKER, line + '\n');

process.on('SIGINT', () => {
  mark('SIGINT');
  process.exit(0);
});
setInterval(() => {}, 1000);
mark('ready');
