module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      env_production: { NODE_ENV: 'production' },
    },
  ],
};
