module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      kill_signal: 'SIGTERM',
    },
  ],
};
