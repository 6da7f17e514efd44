module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      watch: true,
      out_file: './logs/out.log',
      error_file: './logs/err.log',
    },
  ],
};
