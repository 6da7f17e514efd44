module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      max_memory_restart: 1073741824,
      env: {
        NODE_OPTIONS: '--max-old-space-size=512',
      },
    },
  ],
};
