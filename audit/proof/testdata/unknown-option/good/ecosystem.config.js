module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_memory_restart: '100M',
    },
  ],
};
