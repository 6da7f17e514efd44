module.exports = {
  // A typo met in a real repository: app, not apps.
  app: [
    {
      name: 'api',
      script: './app.js',
    },
  ],
};
