module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      wait_ready: 'true',
      kill_timeout: '5s',
      max_memory_restart: '1.5G',
      min_uptime: 50,
      exec_mode: 'Cluster',
      env: 5,
      max_restarts: -1,
      min_uptime: '50',
    },
  ],
};
