module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      exec_mode: 'fork',
      instances: 'max',
      port: 8080,
    },
  ],
};
