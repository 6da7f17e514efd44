module.exports = {
  apps: [
    {
      name: 'api',
      script: 'run.sh',
      instances: 2,
    },
  ],
};
