/**
 * PM2 ecosystem: session-manager
 *
 * WhatsApp session manager (Venom). One process holds every customer's
 * session in memory, so it must never run in cluster mode or be restarted
 * by a file watcher.
 *
 * Start:   pm2 start ecosystem.config.js
 * Local:   pm2 start ecosystem.config.js --env local   (first QR login)
 */
module.exports = {
  apps: [
    {
      name: 'session-manager',
      script: 'index.js',
      cwd: '/root/leadmaster-workspace/services/session-manager',

      // === Single process (NO cluster) ===
      instances: 1,
      exec_mode: 'fork',

      // === Environment ===
      env: {
        NODE_ENV: 'production',
        PORT: 3001,
        LOGIN_MODE: 'server',
        SESSION_SECRET: 'prod-7f3a9c1e55d04b2a',
      },
      env_local: {
        NODE_ENV: 'development',
        PORT: 3001,
        LOGIN_MODE: 'local',
      },

      // === Smart auto-restart ===
      autorestart: true,
      max_restarts: 10,
      min_uptime: '10s',
      max_memory_restart: '1G',

      // === Error handling ===
      exp_backoff_restart_delay: 100,
      restart_delay: 5000,

      // === Logs ===
      error_file: '/root/.pm2/logs/session-manager-error.log',
      out_file: '/root/.pm2/logs/session-manager-out.log',
      log_date_format: 'YYYY-MM-DD HH:mm:ss Z',
      merge_logs: true,

      // === NO watch ===
      watch: false,
      ignore_watch: ['node_modules', '.wwebjs_auth', '.git'],

      // === Graceful shutdown ===
      kill_timeout: 10000,
      wait_ready: true,
      listen_timeout: 10000,

      // === Loop prevention ===
      stop_exit_codes: [0],

      // === Node.js options ===
      node_args: '--max-old-space-size=2048',
    },
  ],
};
