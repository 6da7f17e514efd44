module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      error_file: '/var/log/api/err.log',
    },
  ],
};
