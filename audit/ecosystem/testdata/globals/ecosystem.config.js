// JavaScript's global numbers, seen in real files (max_restarts: Infinity).
module.exports = {
  apps: [{
    name: 'api',
    script: 'server.js',
    max_restarts: Infinity,
    restart_delay: NaN,
    kill_timeout: -Infinity,
    listen_timeout: 1e999,
  }],
};
