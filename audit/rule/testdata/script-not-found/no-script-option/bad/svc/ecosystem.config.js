module.exports = {
  apps: [
    {
      name: 'APP_NAME',
      env_production: {
        NODE_ENV: 'production',
      },
    },
  ],
  deploy: {
    production: { user: 'node', host: 'example.com', ref: 'origin/main', repo: 'git@example.com:app.git', path: '/srv/app' },
  },
};
