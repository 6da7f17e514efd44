module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      watch: true,
      out_file: './logs/out.log',
    },
  ],
};
