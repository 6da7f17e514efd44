module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      wait_ready: true,
      max_memory_restart: '1536M',
      kill_timeout: '5000',
    },
  ],
};
