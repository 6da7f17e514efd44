module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      env_prodution: {},
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
  },
};
