module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      watch: true,
      ignore_watch: ['node_modules', 'logs'],
      out_file: './logs/out.log',
    },
  ],
};
