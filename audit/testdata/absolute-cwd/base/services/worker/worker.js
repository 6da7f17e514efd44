const queue = require('./queue');

async function shutdown() {
  await queue.drain();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
queue.start();
