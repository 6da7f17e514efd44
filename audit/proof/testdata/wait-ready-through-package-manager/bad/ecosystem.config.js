module.exports = {
  apps: [
    {
      name: 'web',
      script: 'npm',
      args: 'start',
      wait_ready: true,
      listen_timeout: 3000,
    },
  ],
};
