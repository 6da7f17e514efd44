module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      wait_ready: true,
      listen_timeout: 3000,
    },
  ],
};
