module.exports = {
  apps: [
    {
      name: 'web',
      script: 'npm',
      args: 'start',
      env: { PORT: 3000 },
      kill_timeout: 5000,
      wait_ready: true,
      listen_timeout: 8000,
    },
  ],
};
