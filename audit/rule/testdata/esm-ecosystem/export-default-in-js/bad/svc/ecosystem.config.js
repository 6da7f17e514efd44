export default {
  apps: [
    { name: 'api', script: './index.js' },
  ],
};
