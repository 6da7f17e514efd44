module.exports = {
  apps: [
    {
      name: 'api',
      script: 'index.js',
      watch: ['src'],
      out_file: './logs/out.log',
    },
  ],
};
