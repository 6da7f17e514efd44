module.exports = {
  apps: [
    {
      name: 'api',
      script: 'pnpm start',
      wait_ready: true,
    },
  ],
};
