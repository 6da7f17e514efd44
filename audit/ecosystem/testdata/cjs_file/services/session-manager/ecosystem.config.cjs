/* eslint-disable */
const path = require('path');

const config = {
  apps: [{
    name: 'session-manager',
    script: './index.js',
    cwd: __dirname,
    exec_mode: 'fork',
    // === Shutdown extendido (WhatsApp logout) ===
    kill_timeout: 30000, // 30 segundos para logout de todos los clientes
    wait_ready: true,
    listen_timeout: 15000,

    // === Prevención EADDRINUSE ===
    restart_delay: 3000,
    error_file: path.join(__dirname, 'logs', 'err.log'),
  }],
};

module.exports = config;
