const other = require('./other');
const { defineConfig } = require('pm2-helpers');

const list = other.apps.map((a) => ({ ...a, watch: false }));

module.exports = defineConfig({
  apps: list,
});
