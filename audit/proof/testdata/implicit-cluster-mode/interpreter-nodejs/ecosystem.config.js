// The suite points /usr/bin/nodejs at a link named nodejs to its node.
module.exports = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      interpreter: '/usr/bin/nodejs',
      instances: 1,
    },
  ],
};
