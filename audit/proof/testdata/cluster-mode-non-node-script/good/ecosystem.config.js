module.exports = {
  apps: [
    {
      name: 'worker',
      script: './worker.sh',
      exec_mode: 'fork',
      max_restarts: 3,
      min_uptime: 5000,
    },
  ],
};
