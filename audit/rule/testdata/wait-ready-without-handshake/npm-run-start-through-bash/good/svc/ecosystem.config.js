module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm run start',
      wait_ready: true,
    },
  ],
};
