module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      exec_mode: 'fork',
      instances: 2,
      env: { PORT: 3001 },
      increment_var: 'PORT',
    },
  ],
};
