module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      kill_timeout: '5000',
      max_memory_restart: '300M',
      max_memory_restart: 104857600,
      min_uptime: '10s',
      instances: 'max',
      node_args: '--a --b',
      exec_mode: 'cluster_mode',
      max_restarts: 0,
      wait_ready: false,
      args: ['x'],
      env: {},
      watch: [],
      listen_timeout: Number(process.env.T),
    },
  ],
};
