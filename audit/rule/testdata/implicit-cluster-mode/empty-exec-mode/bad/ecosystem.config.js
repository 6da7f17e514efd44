module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      exec_mode: '',
      instances: 2,
    },
  ],
};
