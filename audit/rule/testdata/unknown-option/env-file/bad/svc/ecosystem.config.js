module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      env_file: '.env',
    },
  ],
};
