module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      env_prod: { NODE_ENV: 'production' },
    },
  ],
};
