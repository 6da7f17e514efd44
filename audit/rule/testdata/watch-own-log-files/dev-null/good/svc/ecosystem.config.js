module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      out_file: '/dev/null',
    },
  ],
};
