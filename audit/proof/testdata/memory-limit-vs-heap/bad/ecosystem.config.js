module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      node_args: '--max-old-space-size=64',
      max_memory_restart: '1G',
      max_restarts: 3,
      min_uptime: 10000,
    },
  ],
};
