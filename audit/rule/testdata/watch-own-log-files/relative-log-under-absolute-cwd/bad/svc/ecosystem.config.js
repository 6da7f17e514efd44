module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: true,
      cwd: '/srv/api',
      out_file: './logs/out.log',
    },
  ],
};
