module.exports = {
  apps: [
    {
      name: 'a',
      script: 'index.js',
      max_memory_restart: '512MB',
    },
    {
      name: 'b',
      script: 'index.js',
      max_memory_restart: '512m',
    },
  ],
};
