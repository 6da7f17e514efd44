module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      max_memory_restart: '1G',
    },
  ],
};
