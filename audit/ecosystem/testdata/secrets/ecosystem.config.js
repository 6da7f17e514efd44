const DB_PASSWORD = 'hunter2-const';

module.exports = {
  apps: [{
    name: 'secretive',
    script: 'app.js',
    env: {
      DB_PASSWORD,
      API_KEY: 'sk_live_abcdefghijklmnop',
      GITHUB_TOKEN: process.env.GITHUB_TOKEN || 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      SESSION_SECRET: getSecret('session'),
      credentials: { user: 'bob', pass: 'pw' },
      DATABASE_URL: 'postgres://admin:s3cr3t@db:5432/app',
      NOTE: 'token ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb inside',
      TOKEN_TTL: 3600,
      tokenizer_path: './tok.json',
      kill_timeout: 100,
    },
  }],
};
