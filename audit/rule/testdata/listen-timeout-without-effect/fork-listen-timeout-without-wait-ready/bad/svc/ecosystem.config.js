module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      listen_timeout: 10000,
    },
  ],
};
