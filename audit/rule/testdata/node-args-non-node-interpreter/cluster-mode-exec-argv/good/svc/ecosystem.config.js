module.exports = {
  apps: [
    {
      name: 'x',
      script: 'run.sh',
      exec_mode: 'cluster',
      node_args: '--max-old-space-size=256',
    },
  ],
};
