const config = require('./config.js');

// One app exported as the whole file, the variable kept for later use.
const PM2 = module.exports = {
  name: config.name,
  script: 'index.js',
  exec_mode: 'cluster',
  node_args: '--max_old_space_size=256',
};

PM2.env = { NODE_ENV: 'production' };
