module.exports = {
  apps: [
    {
      name: 'api',
      script: 'server/app.js',
    },
  ],
};
