module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm run start',
      cwd: '~/api',
      wait_ready: true,
    },
  ],
};
