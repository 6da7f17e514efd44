module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      kill_timeout: 3000,
    },
  ],
};
