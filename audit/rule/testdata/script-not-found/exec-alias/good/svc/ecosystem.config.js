module.exports = {
  apps: [
    {
      name: 'api',
      exec: 'server.js',
    },
  ],
};
