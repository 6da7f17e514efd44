const DB_URL = 'postgres://admin:hunter2-db-pass@db.internal:5432/app';

module.exports = {
  apps: [{
    name: 'billing',
    script: 'billing.js',
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: DB_URL,
      STRIPE_SECRET_KEY: 'sk_live_51HxQz9ExampleSecretValue',
      GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      DB_PASSWORD: process.env.DB_PASSWORD || 'fallback-pass-123',
    },
    env_prod: { NODE_ENV: 'production' },
    kill_signal: 'SIGTERM',
  }],
  deploy: {
    production: {
      'post-deploy': 'DEPLOY_TOKEN=deploy-token-4242 pm2 reload ecosystem.config.js --env production',
    },
  },
};
