module.exports = {
  apps: [
    {
      name: 'api',
      script: process.env.S,
    },
  ],
};
