module.exports = {
  apps: [{ name: 'jobs', script: 'worker.js' }],
};
