module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      env_prod: { NODE_ENV: 'production' },
    },
  ],
  deploy: {
    production: {
      'post-deploy': 'pm2 reload other.config.js --env production',
    },
  },
};
