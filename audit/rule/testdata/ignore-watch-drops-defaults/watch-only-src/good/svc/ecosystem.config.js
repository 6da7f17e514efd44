module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: ['src'],
      ignore_watch: ['logs'],
    },
  ],
};
