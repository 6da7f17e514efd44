module.exports = {
  apps: [{ name: 'web', script: 'index.js', instances: 2, exec_mode: 'cluster' }],
};
