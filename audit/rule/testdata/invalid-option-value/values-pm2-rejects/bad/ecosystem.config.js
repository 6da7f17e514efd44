module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      wait_ready: 'true',
      max_memory_restart: '1.5G',
    },
  ],
};
