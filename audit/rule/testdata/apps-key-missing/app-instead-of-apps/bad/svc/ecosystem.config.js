module.exports = {
  app: [
    {
      name: 'api',
      script: './server.js',
    },
  ],
};
