module.exports = {
  apps: [
    {
      name: 'api',
      script: './run.sh',
      node_args: '--max-old-space-size=256',
    },
  ],
};
