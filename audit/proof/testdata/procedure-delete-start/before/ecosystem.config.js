module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      wait_ready: true,
      listen_timeout: 1500,
      kill_timeout: 1600,
    },
  ],
};
