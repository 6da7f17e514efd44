module.exports = {
  apps: [
    {
      name: 'job',
      script: './run.sh',
      node_args: '--max-old-space-size=256',
      max_restarts: 3,
      min_uptime: 5000,
    },
  ],
};
