module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      args: 'start',
      kill_timeout: 5000,
    },
  ],
};
