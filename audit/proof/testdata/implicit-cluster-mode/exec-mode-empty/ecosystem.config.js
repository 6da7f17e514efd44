module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      instances: 1,
      exec_mode: '', // dropped by the validator: not written
    },
  ],
};
