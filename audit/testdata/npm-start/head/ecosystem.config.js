module.exports = {
  apps: [
    {
      name: 'web',
      script: 'npm',
      args: 'start',
      env: { PORT: 3000 },
      kill_timeout: 5000,
      node_args: '--max-old-space-size=512',
      max_memory_restart: '400M',
      wait_ready: true,
      listen_timeout: 8000,
    },
  ],
};
