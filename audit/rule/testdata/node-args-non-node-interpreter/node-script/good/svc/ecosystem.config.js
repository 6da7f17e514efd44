module.exports = {
  apps: [
    {
      name: 'x',
      script: 'index.js',
      node_args: '--max-old-space-size=2048',
    },
  ],
};
