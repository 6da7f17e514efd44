module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      args: 'start',
      max_memory_restart: '1G',
      env: {
        NODE_OPTIONS: '--max-old-space-size=64',
      },
    },
  ],
};
