module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: [],
      out_file: './logs/out.log',
    },
  ],
};
