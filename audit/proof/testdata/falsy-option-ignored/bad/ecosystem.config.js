module.exports = {
  apps: [
    {
      name: 'crash',
      script: './app.js',
      max_restarts: 0,
      wait_ready: false,
    },
  ],
};
