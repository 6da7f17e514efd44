module.exports = {
  apps: [
    {
      name: 'crash',
      script: './app.js',
      max_restarts: 0,
      min_uptime: 5000,
      wait_ready: false,
    },
  ],
};
