module.exports = {
  apps: [{ name: 'api', script: 'server.js', wait_ready: true ],
};
