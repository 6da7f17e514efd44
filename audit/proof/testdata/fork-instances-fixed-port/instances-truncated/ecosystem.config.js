module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      exec_mode: 'fork',
      instances: 1.5, // parseInt: one process
      max_restarts: 3,
      min_uptime: 5000,
      env: {
        PORT: 3301,
      },
    },
  ],
};
