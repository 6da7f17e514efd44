module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      kill_timeout: 2000,
    },
  ],
};
