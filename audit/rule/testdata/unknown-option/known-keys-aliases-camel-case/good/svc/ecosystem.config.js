module.exports = {
  apps: [
    {
      name: 'api',
      script: 'a.js',
      interpreter: 'node',
      waitReady: true,
      env_production: {},
      cmd: 'a.js',
      kill_signal: 'SIGTERM',
    },
  ],
};
