module.exports = {
  apps: [{
    name: 'nest-api',
    script: './dist/main.js',
    instances: 'max',
    exec_mode: 'cluster',
    env_production: { NODE_ENV: 'production', PORT: 3000 },
  }],
  deploy: {
    production: {
      user: 'deploy', host: ['10.0.0.1'], ref: 'origin/main', repo: 'git@github.com:acme/api.git',
      path: '/var/www/api', 'post-deploy': 'npm ci && npm run build && pm2 reload ecosystem.config.js --env production',
    },
  },
};
