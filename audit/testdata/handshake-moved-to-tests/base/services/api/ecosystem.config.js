module.exports = {
  apps: [{
    name: 'api',
    script: './server.js',
    cwd: __dirname,
    wait_ready: true,
    listen_timeout: 8000,
    kill_timeout: 5000,
  }],
};
