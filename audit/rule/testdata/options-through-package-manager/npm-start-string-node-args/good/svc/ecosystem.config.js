module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm start',
      node_args: '--max-old-space-size=1024',
    },
  ],
};
