module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.js',
      exec_mode: 'cluster',
      exec_interpreter: 'node@20',
    },
  ],
};
