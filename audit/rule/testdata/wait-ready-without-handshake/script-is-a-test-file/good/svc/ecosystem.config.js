module.exports = {
  apps: [
    {
      name: 'api',
      script: 'test/mock-server.js',
      wait_ready: true,
    },
  ],
};
