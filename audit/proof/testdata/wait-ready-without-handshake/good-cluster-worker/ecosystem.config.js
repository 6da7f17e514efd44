module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      exec_mode: 'cluster',
      instances: 1,
      wait_ready: true,
      listen_timeout: 3000,
    },
  ],
};
