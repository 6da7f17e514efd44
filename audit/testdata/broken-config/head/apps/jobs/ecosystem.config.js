module.exports = {
  apps: [{
    name: 'jobs',
    script: 'worker.js',
    kill_signal: 'SIGTERM',
    max_memory_restart: '1.5G',
  }],
};
