module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      kill_signal: 'SIGTERM',
    },
  ],
};
