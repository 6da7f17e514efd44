module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      node_args: '--max-old-space-size=2048',
      max_memory_restart: '1800M',
    },
  ],
};
