module.exports = {
  apps: [
    {
      name: 'x',
      script: 'node app.js',
      node_args: '--max-old-space-size=256',
    },
  ],
};
