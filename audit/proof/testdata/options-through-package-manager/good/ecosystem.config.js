module.exports = {
  apps: [
    {
      name: 'worker',
      script: './app.js',
      node_args: '--max-http-header-size=32768',
      max_memory_restart: '150M',
    },
  ],
};
