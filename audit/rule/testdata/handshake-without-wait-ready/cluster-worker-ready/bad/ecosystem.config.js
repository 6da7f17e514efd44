module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      exec_mode: 'cluster',
      instances: 2,
    },
  ],
};
