module.exports = {
  apps: [
    {
      name: 'api',
      script: 'node server.js',
      wait_ready: true,
    },
  ],
};
