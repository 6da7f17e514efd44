// PM2 ecosystem (CommonJS): session-manager
// Legacy variant kept for hosts whose package.json is an ES module.
module.exports = {
  apps: [
    {
      name: 'session-manager',
      script: 'index.js',
      cwd: '/root/leadmaster-workspace/services/session-manager',

      instances: 1,
      exec_mode: 'fork',

      env: {
        NODE_ENV: 'production',
        PORT: 3001,
        LOGIN_MODE: 'server',
      },
      env_local: {
        NODE_ENV: 'development',
        PORT: 3001,
        LOGIN_MODE: 'local',
      },

      autorestart: true,
      max_restarts: 10,
      min_uptime: '10s',
      max_memory_restart: '1G',
      exp_backoff_restart_delay: 100,
      restart_delay: 5000,

      error_file: '/root/.pm2/logs/session-manager-error.log',
      out_file: '/root/.pm2/logs/session-manager-out.log',
      merge_logs: true,
      watch: false,

      // === Extended shutdown (WhatsApp logout) ===
      kill_timeout: 30000, // 30 seconds to log every client out
      wait_ready: true,
      listen_timeout: 15000,

      // === EADDRINUSE prevention ===
      stop_exit_codes: [0],
      node_args: '--max-old-space-size=1536 --experimental-modules',
    },
  ],
};
