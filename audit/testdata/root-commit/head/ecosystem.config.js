module.exports = {
  apps: [
    {
      name: 'gateway',
      script: 'gateway.js',
      instances: 2,
      wait_ready: true,
    },
    {
      name: 'backup',
      script: './bin/backup.sh',
      node_args: '--max-old-space-size=256',
    },
  ],
};
