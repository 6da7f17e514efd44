module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      exec_mode: 'fork',
      instances: 'all',
      env: { PORT: 3001 },
    },
  ],
};
