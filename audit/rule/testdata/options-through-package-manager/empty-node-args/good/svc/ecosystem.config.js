module.exports = {
  apps: [
    {
      name: 'api',
      script: 'npm',
      node_args: '',
    },
  ],
};
