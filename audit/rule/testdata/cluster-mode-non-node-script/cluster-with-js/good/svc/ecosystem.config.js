module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.js',
      exec_mode: 'cluster',
    },
  ],
};
