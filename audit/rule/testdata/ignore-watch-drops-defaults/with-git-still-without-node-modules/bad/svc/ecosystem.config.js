module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      ignore_watch: ['logs', '.git'],
    },
  ],
};
