module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      max_memory_restart: '1.5G',
      node_args: '--max-old-space-size=2048',
    },
  ],
};
