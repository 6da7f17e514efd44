module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: false,
      ignore_watch: ['logs'],
    },
  ],
};
