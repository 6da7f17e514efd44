module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_restarts: 1,
      autorestart: false,
    },
  ],
};
