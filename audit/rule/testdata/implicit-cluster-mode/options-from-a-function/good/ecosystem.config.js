const defaults = require('./pm2-defaults');

module.exports = {
  apps: [
    {
      ...defaults('api'),
      name: 'api',
      script: './app.js',
      instances: 2,
    },
  ],
};
