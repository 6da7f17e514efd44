module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: false,
      out_file: './logs/out.log',
    },
  ],
};
