module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      interpreter: 'bun',
      exec_mode: 'cluster',
      max_memory_restart: '512M',
      node_args: '--max-old-space-size=256',
    },
  ],
};
