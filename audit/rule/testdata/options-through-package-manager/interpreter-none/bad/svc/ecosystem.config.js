module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      interpreter: 'none',
      node_args: '--max-old-space-size=1024',
      max_memory_restart: '1G',
    },
  ],
};
