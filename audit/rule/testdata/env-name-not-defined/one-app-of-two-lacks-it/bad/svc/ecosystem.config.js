module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      env_production: { NODE_ENV: 'production' },
    },
    {
      name: 'worker',
      script: './server.js',
      env_prod: { NODE_ENV: 'production' },
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
  },
};
