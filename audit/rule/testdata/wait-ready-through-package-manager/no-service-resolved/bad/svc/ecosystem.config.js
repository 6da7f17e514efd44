module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      args: 'start',
      cwd: '~/api',
      wait_ready: true,
    },
  ],
};
