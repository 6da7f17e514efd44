module.exports = {
  apps: [
    {
      name: 'api',
      script: './worker.sh',
      exec_mode: 'cluster',
      instances: 2,
    },
  ],
};
