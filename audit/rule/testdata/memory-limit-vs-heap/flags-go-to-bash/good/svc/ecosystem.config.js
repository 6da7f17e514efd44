module.exports = {
  apps: [
    {
      name: 'api',
      script: 'run.sh',
      max_memory_restart: '1G',
      node_args: '--max-old-space-size=64',
    },
  ],
};
