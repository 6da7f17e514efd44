module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      pid_file: './api.pid',
    },
  ],
};
