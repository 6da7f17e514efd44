module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_memory_restart: '1536M',
    },
    {
      name: 'worker',
      script: './app.js',
    },
  ],
};
