module.exports = {
  apps: [
    {
      name: 'api',
      cmd: 'server.js',
    },
  ],
};
