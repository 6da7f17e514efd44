module.exports = {
  apps: [{ name: 'svc-alt', script: 'app.js', watch: false }],
};
