module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      exec_mode: 'fork',
      instances: 1,
    },
  ],
};
