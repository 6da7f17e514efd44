module.exports = {
  apps: [{
    name: 'worker',
    script: 'worker.js',
    cwd: '/srv/acme/services/worker',
  }],
};
