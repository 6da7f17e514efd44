module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      interpreter: '/usr/local/bin/bun',
      max_memory_restart: '512M',
      env: {
        NODE_OPTIONS: '--max-old-space-size=256',
      },
    },
  ],
};
