module.exports = {
  apps: [
    {
      name: 'api',
      script: './index.js',
      env: {
        PORT: 3000,
      },
    },
  ],
  deploy: {
    production: { user: 'x' }
  }}
};
