const common = require('./common');
module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      ...common,
      env_prod: { NODE_ENV: 'production' },
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
  },
};
