// Cleans up on SIGTERM only, the Docker/Kubernetes habit. Appends what it
// receives to $MARKER.
const fs = require('fs');

const mark = (line) => fs.appendFileSync(process.env.MARKER, line + '\n');

process.on('SIGTERM', () => {
  mark('SIGTERM');
  process.exit(0);
});
setInterval(() => {}, 1000);
mark('ready');
