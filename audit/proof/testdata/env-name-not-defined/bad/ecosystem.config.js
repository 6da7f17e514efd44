module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      env_prod: { NODE_ENV: 'production' },
    },
  ],
};
