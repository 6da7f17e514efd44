module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      wait_ready: true,
      listen_timeout: 10000,
      kill_timeout: 5000,
      env_production: { NODE_ENV: 'production', PORT: 8080 },
    },
  ],
  deploy: {
    production: {
      user: 'deploy',
      host: 'app.example.com',
      ref: 'origin/main',
      repo: 'git@example.com:acme/api.git',
      path: '/srv/api',
      'post-deploy': 'npm ci --omit=dev && pm2 reload ecosystem.config.js --env production',
    },
  },
};
