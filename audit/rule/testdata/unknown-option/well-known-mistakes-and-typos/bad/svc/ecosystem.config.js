module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      max_memory: '1G',
      restart_on_crash: true,
      ready_timeout: 5000,
      wait_redy: true,
      foo_bar_baz_qux: 1,
    },
  ],
};
