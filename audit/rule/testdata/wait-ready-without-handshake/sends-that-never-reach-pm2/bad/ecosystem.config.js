module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      wait_ready: true,
      env: { MODE: 'worker' },
    },
  ],
};
