module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: ['src', 'logs'],
      out_file: './logs/out.log',
    },
  ],
};
