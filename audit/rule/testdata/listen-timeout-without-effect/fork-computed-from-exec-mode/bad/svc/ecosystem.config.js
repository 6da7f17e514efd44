module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      exec_mode: 'fork',
      listenTimeout: 10000,
    },
  ],
};
