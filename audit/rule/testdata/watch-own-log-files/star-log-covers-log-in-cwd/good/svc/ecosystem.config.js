module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      out_file: 'out.log',
      ignore_watch: ['*.log'],
    },
  ],
};
