module.exports = {
  apps: [
    {
      name: 'api',
      script: 'pnpm start',
      max_memory_restart: '300M',
    },
  ],
};
