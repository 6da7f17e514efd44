module.exports = {
  apps: [
    {
      name: 'api',
      script: './bin/www',
      exec_mode: 'fork',
      wait_ready: true,
      listen_timeout: 8000,
      kill_timeout: 3000,
    },
  ],
};
