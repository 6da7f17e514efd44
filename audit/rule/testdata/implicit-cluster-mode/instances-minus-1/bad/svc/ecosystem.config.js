module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      instances: -1,
    },
  ],
};
