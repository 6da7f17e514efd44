module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
    },
  ],
};
