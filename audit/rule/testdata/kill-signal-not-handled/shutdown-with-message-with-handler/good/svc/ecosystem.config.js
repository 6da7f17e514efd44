module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      shutdown_with_message: true,
    },
  ],
};
