module.exports = {
  apps: [
    {
      name: 'session-manager',
      script: "index.js",
      killTimeout: 10000,
      node_args: '--max-old-space-size=2048',
      env: { PORT: 3001 },
    },
  ],
};
