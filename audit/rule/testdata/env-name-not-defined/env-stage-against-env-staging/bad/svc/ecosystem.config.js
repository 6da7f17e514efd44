module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      env_stage: {},
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'pm2 reload ecosystem.config.js --env staging',
    },
  },
};
