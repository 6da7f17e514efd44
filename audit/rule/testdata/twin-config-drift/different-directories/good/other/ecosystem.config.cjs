module.exports = {
  apps: [
    {
      name: 'session-manager',
      script: 'index.js',
      kill_timeout: 1,
    },
  ],
};
