module.exports = {
  apps: [
    {
      name: 'api',
      script: 'dist/main.js',
    },
  ],
};
