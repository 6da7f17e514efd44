module.exports = {
  apps: [
    {
      name: 'api',
      script: 'node',
      args: 'app.js',
    },
  ],
};
