require('dotenv').config();
module.exports = () => ({ apps: [{ name: 'a', script: 'a.js', wait_ready: true }] });
