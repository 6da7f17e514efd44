module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      exec_mode: 'cluster',
      interpreter: '/usr/local/bin/node18',
    },
  ],
};
