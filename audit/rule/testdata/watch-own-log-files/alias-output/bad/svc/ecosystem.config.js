module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      output: 'out.log',
    },
  ],
};
