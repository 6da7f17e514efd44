module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      wait_ready: true,
    },
  ],
};
