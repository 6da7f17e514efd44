module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      out_file: './logs/out.log',
      ignore_watch: ['log*'],
    },
  ],
};
