module.exports = {
  apps: [
    {
      name: 'x',
      script: 'node app.js',
      exec_mode: 'cluster_mode',
    },
  ],
};
