module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      args: 'start',
      cwd: '../../elsewhere',
      wait_ready: true,
    },
  ],
};
