module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npx',
      args: 'start',
      wait_ready: true,
    },
  ],
};
