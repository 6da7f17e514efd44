module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      kill_timeout: 10000,
    },
  ],
};
