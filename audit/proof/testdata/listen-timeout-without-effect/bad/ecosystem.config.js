module.exports = {
  apps: [
    {
      name: 'worker',
      script: './app.js',
      exec_mode: 'fork',
      listen_timeout: 3000,
    },
  ],
};
