module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      exec_mode: 'cluster',
      interpreter: 'node@18.20.4',
    },
  ],
};
