module.exports = {
  apps: [
    {
      name: 'api',
      script: './start.sh',
    },
  ],
};
