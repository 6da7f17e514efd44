module.exports = {
  apps: [{
    name: 'api',
    script: 'server.js',
    exec_mode: 'fork',
    max_restarts: 10,
  }],
};
