module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      interpreter: process.env.APP_INTERPRETER,
      instances: 2,
    },
  ],
};
