module.exports = {
  apps: [
    {
      name: 'api',
      script: '/usr/local/bin/yarn',
      args: 'start',
      wait_ready: true,
    },
  ],
};
