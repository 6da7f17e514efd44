const DB_URL = 'postgres://admin:hunter2-db-pass@db.internal:5432/app';

module.exports = {
  apps: [{
    name: 'billing',
    script: 'billing.js',
    // Secrets under keys that do not look secret (issue 9).
    args: '--password=argpass-111 --token argtoken-222 --port 3000',
    node_args: '--db-password=nodepass-333',
    interpreter_args: ['--api-key', 'argkey-arr-444'],
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: DB_URL,
      STRIPE_SECRET_KEY: 'sk_live_51HxQz9ExampleSecretValue',
      GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      DB_PASSWORD: process.env.DB_PASSWORD || 'fallback-pass-123',
      CONN: 'Server=db;User Id=sa;Password=connpass-555;Encrypt=true',
      AUTH: 'Basic ' + 'YmlsbGluZzpiYXNpY3Bhc3MtNjY2',
      API_TOKEN: `${'tmplpart-777'}-${process.env.SUFFIX}`,
      UPSTREAM: 'https://zq9userinfotoken0123456789abcdef@github.com/o/r.git',
      CALLBACK: 'https://hooks.example.com/cb?token=querytok-888&x=1',
      PLAIN_HEADER: 'Basic YmlsbGluZzpzaGFwZXBhc3MtOTk5',
      SPLIT:
        'Basic ' +
        'YmlsbGluZzptdWx0aWxpbmUtMTAxMA==',
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
