// Started with pm2 start ecosystem.config.mjs.
export default {
  apps: [
    { name: 'api', script: './index.js' },
  ],
};
