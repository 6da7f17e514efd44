module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      instances: 1,
    },
  ],
};
