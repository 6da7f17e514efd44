module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_memory_restart: '1G',
      waitReady: false,
      env_production: { NODE_ENV: 'production' },
    },
  ],
};
