module.exports = {
  apps: [
    {
      name: 'api',
      script: 'run.sh',
      exec_mode: process.env.PM2_EXEC_MODE,
      node_args: '--max-old-space-size=256',
    },
  ],
};
