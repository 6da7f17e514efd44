module.exports = {
  name: 'api',
  script: './server.js',
};
