// PM2 ignores `default` (docs/pm2-behaviour.md#config-file-names).
import path from 'node:path';

const shared = {
  exec_mode: 'fork',
  wait_ready: true,
};

export default {
  apps: [
    {
      name: 'web',
      script: 'server.js',
      ...shared,
      listen_timeout: 8000,
    },
    {
      name: 'worker',
      script: path.resolve(__dirname, 'worker.js'),
    },
  ],
};
