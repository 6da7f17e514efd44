module.exports = {
  apps: [
    {
      name: 'api',
      script: './app.js',
      node_args: '--max-old-space-size=512',
    },
  ],
};
