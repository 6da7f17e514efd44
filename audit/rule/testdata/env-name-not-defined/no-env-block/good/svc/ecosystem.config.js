module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
  },
};
