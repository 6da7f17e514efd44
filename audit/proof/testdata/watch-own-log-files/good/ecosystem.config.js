module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      watch: true,
      ignore_watch: ['node_modules', 'logs'],
      out_file: './logs/out.log',
      error_file: './logs/err.log',
    },
  ],
};
