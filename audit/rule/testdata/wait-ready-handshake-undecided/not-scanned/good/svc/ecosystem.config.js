module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      cwd: '../../elsewhere',
      wait_ready: true,
    },
  ],
};
