setInterval(() => console.log('tick'), 60000);
process.on('SIGTERM', () => process.exit(0));
