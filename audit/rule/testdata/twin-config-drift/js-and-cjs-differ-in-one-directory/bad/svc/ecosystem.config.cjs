module.exports = {
  apps: [
    {
      name: 'session-manager',
      script: 'index.js',
      killTimeout: 30000,
      node_args: "--max-old-space-size=1536 --experimental-modules",
      env: { PORT: 3001 },
    },
  ],
};
