module.exports = { apps: [{ name: '--old', script: 'old.js' }] };
