// Numbers JSON cannot hold: the document must still be written.
module.exports = {
  apps: [{
    name: 'api',
    script: 'server.js',
    exec_mode: 'fork',
    max_restarts: Infinity,
    min_uptime: -1e999,
    wait_ready: true,
    listen_timeout: Infinity,
  }],
};
