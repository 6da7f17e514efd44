module.exports = {
  apps: [
    {
      name: 'api',
      script: process.env.ENTRY,
      wait_ready: true,
    },
  ],
};
