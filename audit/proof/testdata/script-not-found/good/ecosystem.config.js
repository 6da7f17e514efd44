module.exports = {
  apps: [
    {
      name: 'api',
      // The entry file is server.js.
      script: './server.js',
    },
  ],
};
