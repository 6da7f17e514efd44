module.exports = {
  apps: [
    {
      name: 'job',
      script: './run.sh',
      max_restarts: 3,
      min_uptime: 5000,
    },
  ],
};
