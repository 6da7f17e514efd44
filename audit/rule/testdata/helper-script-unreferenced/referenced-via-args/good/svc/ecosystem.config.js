module.exports = {
  apps: [
    {
      name: 'api',
      script: 'run.sh',
      args: ['./deploy.sh', 'start-with-xvfb.sh'],
    },
  ],
};
