module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      wait_ready: true,
      listen_timeout: 10000,
    },
  ],
};
