module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      autorestart: false,
      watch: false,
      instances: 0,
      max_restarts: 3,
      env_production: '',
      maxRestarts: 0,
    },
  ],
};
