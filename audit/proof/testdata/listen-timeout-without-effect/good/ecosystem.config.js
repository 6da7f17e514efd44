module.exports = {
  apps: [
    {
      name: 'worker',
      script: './app.js',
      exec_mode: 'cluster',
      instances: 1,
      listen_timeout: 1500,
    },
  ],
};
