module.exports = {
  apps: [{ name: 'svc', script: 'app.js' }],
};
