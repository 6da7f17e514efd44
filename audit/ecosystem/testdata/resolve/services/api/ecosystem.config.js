const path = require('path');
const os = require('os');

const ROOT = __dirname;
const LOGS = `${ROOT}/logs`;
const NAME = 'api';
const FULL = NAME + '-svc';
const BASE_PORT = 3000;
const PORT = BASE_PORT;

const common = {
  exec_mode: 'fork',
  autorestart: true,
  kill_timeout: 1600,
};

const extra = [{ name: 'extra', script: 'extra.js' }];

module.exports = {
  apps: [
    {
      ...common,
      name: FULL,
      script: path.join(__dirname, 'dist/index.js'),
      cwd: path.resolve(__dirname),
      out_file: path.join(LOGS, 'out.log'),
      abs: path.resolve(__dirname, '/var/log/x.log'),
      kill_timeout: 5000,
      port: process.env.PORT || 3001,
      host: process.env.HOST ?? 'localhost',
      listen: PORT,
      label: `${NAME}:${PORT}`,
      instances: os.cpus().length,
      raw_env: process.env.RAW,
    },
    ...extra,
  ],
};
