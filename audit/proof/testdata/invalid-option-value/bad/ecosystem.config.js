module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_memory_restart: '1.5G',
    },
    {
      name: 'worker',
      script: './app.js',
    },
  ],
};
