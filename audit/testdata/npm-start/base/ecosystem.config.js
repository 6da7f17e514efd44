module.exports = {
  apps: [
    {
      name: 'web',
      script: 'npm',
      args: 'start',
      env: { PORT: 3000 },
      kill_timeout: 5000,
    },
  ],
};
