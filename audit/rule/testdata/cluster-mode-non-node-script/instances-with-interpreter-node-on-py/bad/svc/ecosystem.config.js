module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.py',
      interpreter: 'node',
      instances: 2,
    },
  ],
};
