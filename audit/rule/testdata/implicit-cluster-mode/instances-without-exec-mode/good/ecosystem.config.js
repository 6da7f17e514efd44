module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      exec_mode: 'fork',
      instances: 1,
    },
  ],
};
