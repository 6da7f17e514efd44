module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      log_file: true,
    },
  ],
};
