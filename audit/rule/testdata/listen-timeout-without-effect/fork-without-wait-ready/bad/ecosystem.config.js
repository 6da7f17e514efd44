module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      listen_timeout: 10000,
    },
  ],
};
