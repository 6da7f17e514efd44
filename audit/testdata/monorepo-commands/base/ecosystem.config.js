const path = require('path');
const common = { autorestart: true, max_restarts: 10 };
module.exports = {
  apps: [
    { ...common, name: 'api', cwd: './services/api', script: 'npm', args: 'start', instances: 'max', exec_mode: 'cluster' },
    { ...common, name: 'worker', script: path.join(__dirname, 'services/worker/index.ts'), wait_ready: true, listen_timeout: 5000, env: { REDIS_URL: process.env.REDIS_URL } },
  ],
};
