module.exports = {
  apps: [
    {
      name: 'crash',
      script: './app.js',
      max_restarts: 1,
      min_uptime: 5000,
    },
  ],
};
