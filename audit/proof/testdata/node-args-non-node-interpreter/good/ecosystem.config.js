module.exports = {
  apps: [
    {
      name: 'job',
      script: './run.sh',
      max_restarts: 3,
    },
  ],
};
