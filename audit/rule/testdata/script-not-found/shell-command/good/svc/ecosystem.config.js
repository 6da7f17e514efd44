module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm start',
    },
  ],
};
