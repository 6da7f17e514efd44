module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_restarts: 0,
      wait_ready: false,
    },
  ],
};
