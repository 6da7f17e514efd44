module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      exec_mode: 'fork',
      instances: 'all', // parseInt('all') || 0: one process per CPU
      max_restarts: 3,
      min_uptime: 5000,
      env: {
        PORT: 3301,
      },
    },
  ],
};
