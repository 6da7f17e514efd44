// Cleans up on SIGINT (what PM2 sends) and on SIGTERM (what a container
// runtime sends). Appends what it receives to $MARKER.
const fs = require('fs');

const mark = (line) => fs.appendFileSync(process.env.MARKER, line + '\n');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    mark(signal);
    process.exit(0);
  });
}
setInterval(() => {}, 1000);
mark('ready');
