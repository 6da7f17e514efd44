module.exports = {
  apps: [
    {
      name: 'api',
      script: 'test/server.js',
    },
  ],
};
