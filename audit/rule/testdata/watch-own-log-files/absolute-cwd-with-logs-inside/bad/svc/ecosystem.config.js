module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      cwd: '/srv/api',
      error_file: '/srv/api/logs/err.log',
    },
  ],
};
