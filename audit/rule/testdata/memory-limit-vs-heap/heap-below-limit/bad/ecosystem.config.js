module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      node_args: '--max-old-space-size=256',
      max_memory_restart: '1G',
    },
  ],
};
