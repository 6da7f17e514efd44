module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      shutdown_with_message: true,
      kill_timeout: 3000,
    },
  ],
};
