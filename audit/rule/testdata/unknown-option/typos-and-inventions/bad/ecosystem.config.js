module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      max_memory: '1G',
      wait_redy: true,
    },
  ],
};
