module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      exec_mode: 'fork',
      interpreter: '/usr/local/bin/node18',
    },
  ],
};
