module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.js',
      exec_mode: 'cluster',
      interpreter: '/opt/node18/bin/node',
    },
  ],
};
