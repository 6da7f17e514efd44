module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      instances: 1,
      execMode: 'fork', // exec_mode's camelCase spelling
    },
  ],
};
