module.exports = {
  apps: [
    {
      name: 'api',
      // The entry file was renamed to server.js; this still says main.js.
      script: './main.js',
    },
  ],
};
