module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      exec_mode: 'cluster',
      listen_timeout: 10000,
    },
  ],
};
