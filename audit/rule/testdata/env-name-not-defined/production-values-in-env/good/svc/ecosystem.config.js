module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      env: { NODE_ENV: 'production' },
      env_development: {},
      env_staging: {},
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
  },
};
