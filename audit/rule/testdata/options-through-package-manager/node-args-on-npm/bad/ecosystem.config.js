module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      args: 'start',
      node_args: '--max-old-space-size=512',
    },
  ],
};
