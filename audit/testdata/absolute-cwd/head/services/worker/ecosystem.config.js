module.exports = {
  apps: [
    {
      name: 'worker',
      script: 'worker.js',
      cwd: '/srv/acme/services/worker',
      kill_timeout: 20000,
    },
    {
      name: 'scheduler',
      script: 'scheduler.js',
      cwd: '/srv/acme/services/worker',
    },
  ],
};
