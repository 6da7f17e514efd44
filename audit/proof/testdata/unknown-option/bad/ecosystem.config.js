module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_memory: '100M',
    },
  ],
};
