module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.js',
      exec_mode: 'fork',
      interpreter: '/opt/node18/bin/node',
    },
  ],
};
