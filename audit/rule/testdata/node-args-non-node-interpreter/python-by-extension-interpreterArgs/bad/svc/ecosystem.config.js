module.exports = {
  apps: [
    {
      name: 'x',
      script: 'app.py',
      interpreterArgs: '--trace-warnings',
    },
  ],
};
