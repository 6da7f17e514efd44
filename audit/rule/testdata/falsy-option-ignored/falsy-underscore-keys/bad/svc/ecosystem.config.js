module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      max_restarts: 0,
      wait_ready: false,
      kill_timeout: 0,
      log_date_format: '',
      merge_logs: null,
    },
  ],
};
