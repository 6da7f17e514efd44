module.exports = {
  apps: [
    {
      name: 'api',
      script: './main.js',
    },
  ],
};
