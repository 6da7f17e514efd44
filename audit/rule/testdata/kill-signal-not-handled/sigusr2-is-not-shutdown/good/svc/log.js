process.on('SIGUSR2', () => {});
