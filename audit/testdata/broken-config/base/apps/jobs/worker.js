setInterval(() => {}, 1000);
process.on('SIGTERM', () => process.exit(0));
